/// A binary min-heap of (key, vertex) pairs in two flat arrays, for Dijkstra and A* with lazy
/// deletion: a vertex may be pushed again with a smaller key, and the stale entry is skipped
/// when popped. Ties pop the lower vertex first, so searches are deterministic.
struct MinHeap {
    private var keys: [Double] = []
    private var items: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }

    init(capacity: Int = 0) {
        keys.reserveCapacity(capacity)
        items.reserveCapacity(capacity)
    }

    @inline(__always)
    private func less(_ i: Int, _ j: Int) -> Bool {
        keys[i] != keys[j] ? keys[i] < keys[j] : items[i] < items[j]
    }

    /// Empties the heap, keeping its storage for the next search.
    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
    }

    mutating func push(_ key: Double, _ item: Int32) {
        keys.append(key)
        items.append(item)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { break }
            keys.swapAt(child, parent)
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (key: Double, item: Int32)? {
        guard let key = keys.first, let item = items.first else { return nil }
        let last = keys.count - 1
        keys.swapAt(0, last)
        items.swapAt(0, last)
        keys.removeLast()
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < keys.count, less(left, smallest) { smallest = left }
            if right < keys.count, less(right, smallest) { smallest = right }
            if smallest == parent { break }
            keys.swapAt(parent, smallest)
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return (key, item)
    }
}
