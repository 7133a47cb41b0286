/// A static 2-d tree over points in metres, for k-nearest-neighbour queries.
///
/// Algorithm: Bentley's k-d tree (1975), stored implicitly: the points of a node's range are
/// partitioned around the median of the range on the node's axis (x at even depths, y at odd),
/// the median point is the node, the halves left and right of it are its children; ranges of at
/// most ``leafSize`` points are buckets, scanned whole (Friedman, Bentley & Finkel). A query
/// descends into the nearer half first and visits the farther half only while the splitting
/// line is not farther than the k-th best distance so far (their 1977 search).
///
/// Ties are broken by `rank` (the caller's stable order, e.g. feature id): results are sorted by
/// (squared distance, rank), and a half is skipped only when the line is strictly farther, so an
/// equally distant point of lower rank is never missed.
///
/// One instance can hold several independent trees (a forest), each over its own contiguous
/// range of the arrays: a search starts at a range's root. The atlas keeps all features of a kind
/// in one range and each grid's features again in a range of their own, so a batch reaches any
/// tree through the same buffers, with no per-query reference counting.
struct PointKDTree: Sendable {
    /// Ranges this small are leaves: left unsorted and scanned, which is faster than descending.
    static let leafSize = 8

    /// Node order: x, y and rank of the point at each implicit node.
    let xs: [Double]
    let ys: [Double]
    let ranks: [Int32]
    /// The tree of each group given to `init`, as a range of the arrays.
    let trees: [Range<Int>]

    /// One tree per group; `groups[g]` lists positions in `x`, `y`, `ranks`.
    init(x: [Double], y: [Double], ranks: [Int32], groups: [[Int]]) {
        var order: [Int] = []
        var trees: [Range<Int>] = []
        func build(_ lower: Int, _ upper: Int, _ depth: Int) {
            guard upper - lower > Self.leafSize else { return }
            let middle = (lower + upper) / 2
            let byX = depth % 2 == 0
            order[lower..<upper].sort { a, b in
                let keyA = byX ? x[a] : y[a], keyB = byX ? x[b] : y[b]
                return keyA != keyB ? keyA < keyB : ranks[a] < ranks[b]
            }
            build(lower, middle, depth + 1)
            build(middle + 1, upper, depth + 1)
        }
        for group in groups {
            let lower = order.count
            order += group
            build(lower, order.count, 0)
            trees.append(lower..<order.count)
        }
        xs = order.map { x[$0] }
        ys = order.map { y[$0] }
        self.ranks = order.map { ranks[$0] }
        self.trees = trees
    }

    /// The up to `k` nearest points of tree `tree` to (x, y), no farther than `maxDistance`, as
    /// (rank, squared distance), sorted by (squared distance, rank).
    func nearest(tree: Int, x: Double, y: Double, k: Int, maxDistance: Double = .infinity) -> [(rank: Int32, squaredDistance: Double)] {
        var best = Candidates(capacity: k, limit: maxDistance * maxDistance)
        withView { $0.nearest(in: trees[tree], x: x, y: y, into: &best) }
        return best.items
    }

    /// Calls `body` with unchecked views of the arrays, for batches.
    func withView<Result>(_ body: (View) -> Result) -> Result {
        xs.withUnsafeBufferPointer { xs in
            ys.withUnsafeBufferPointer { ys in
                ranks.withUnsafeBufferPointer { ranks in body(View(xs: xs, ys: ys, ranks: ranks)) }
            }
        }
    }

    /// The arrays as buffer pointers, valid only inside ``withView(_:)``. `@unchecked Sendable`
    /// is sound because the arrays are immutable and only read through the view.
    struct View: @unchecked Sendable {
        let xs: UnsafeBufferPointer<Double>
        let ys: UnsafeBufferPointer<Double>
        let ranks: UnsafeBufferPointer<Int32>

        /// The search over the tree stored in `range`, into `best` (emptied first).
        func nearest(in range: Range<Int>, x: Double, y: Double, into best: inout Candidates) {
            best.removeAll()
            guard best.capacity > 0 else { return }
            search(x, y, range.lowerBound, range.upperBound, 0, &best)
        }

        private func search(_ qx: Double, _ qy: Double, _ lower: Int, _ upper: Int, _ depth: Int,
                            _ best: inout Candidates) {
            if upper - lower <= PointKDTree.leafSize {
                for i in lower..<upper {
                    let dx = xs[i] - qx, dy = ys[i] - qy
                    best.offer(rank: ranks[i], squaredDistance: dx * dx + dy * dy)
                }
                return
            }
            let middle = (lower + upper) / 2
            let dx = xs[middle] - qx, dy = ys[middle] - qy
            best.offer(rank: ranks[middle], squaredDistance: dx * dx + dy * dy)
            let offset = depth % 2 == 0 ? -dx : -dy   // query minus splitting value
            if offset < 0 {
                search(qx, qy, lower, middle, depth + 1, &best)
                if offset * offset <= best.worst { search(qx, qy, middle + 1, upper, depth + 1, &best) }
            } else {
                search(qx, qy, middle + 1, upper, depth + 1, &best)
                if offset * offset <= best.worst { search(qx, qy, lower, middle, depth + 1, &best) }
            }
        }
    }

    /// The k best so far, sorted by (squared distance, rank), in storage of its own that a batch
    /// reuses for every query of a chunk; `worst` is the bound to beat.
    struct Candidates: ~Copyable {
        let capacity: Int
        let limit: Double
        private let ranks: UnsafeMutablePointer<Int32>
        private let squaredDistances: UnsafeMutablePointer<Double>
        private(set) var count = 0
        /// The k-th best squared distance once there are k, else `limit`; kept up to date so the
        /// pruning test reads one number.
        private(set) var worst: Double

        init(capacity: Int, limit: Double) {
            self.capacity = capacity
            self.limit = limit
            worst = limit
            ranks = .allocate(capacity: max(1, capacity))
            squaredDistances = .allocate(capacity: max(1, capacity))
        }

        deinit {
            ranks.deallocate()
            squaredDistances.deallocate()
        }

        subscript(index: Int) -> (rank: Int32, squaredDistance: Double) { (ranks[index], squaredDistances[index]) }

        var items: [(rank: Int32, squaredDistance: Double)] { (0..<count).map { self[$0] } }

        mutating func removeAll() {
            count = 0
            worst = limit
        }

        /// Insertion into the sorted list, dropping the last when full.
        @inline(__always)
        mutating func offer(rank: Int32, squaredDistance: Double) {
            guard squaredDistance <= worst else { return }
            if count == capacity {
                guard (squaredDistance, rank) < (squaredDistances[count - 1], ranks[count - 1]) else { return }
                count -= 1
            }
            var position = count
            while position > 0, (squaredDistance, rank) < (squaredDistances[position - 1], ranks[position - 1]) {
                squaredDistances[position] = squaredDistances[position - 1]
                ranks[position] = ranks[position - 1]
                position -= 1
            }
            squaredDistances[position] = squaredDistance
            ranks[position] = rank
            count += 1
            if count == capacity { worst = squaredDistances[capacity - 1] }
        }
    }
}
