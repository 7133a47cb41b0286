/// The k best features so far of one nearest query, sorted by (squared distance, rank), in
/// storage of its own that a batch reuses for every query of a chunk; `worst` is the bound to
/// beat. Rank is the feature's position in id order, so equal distances go to the smaller id.
struct NearestCandidates: ~Copyable {
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

    mutating func removeAll() {
        count = 0
        worst = limit
    }

    /// ``offer(rank:squaredDistance:)`` for a feature that may be offered several times (a
    /// shape, once per segment): the list keeps it once, at its smallest distance.
    mutating func offerShape(rank: Int32, squaredDistance: Double) {
        guard squaredDistance <= worst else { return }
        for position in 0..<count where ranks[position] == rank {
            guard squaredDistance < squaredDistances[position] else { return }
            // Remove the old entry, then insert afresh.
            for later in position..<(count - 1) {
                ranks[later] = ranks[later + 1]
                squaredDistances[later] = squaredDistances[later + 1]
            }
            count -= 1
            if count < capacity { worst = limit }
            break
        }
        offer(rank: rank, squaredDistance: squaredDistance)
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
