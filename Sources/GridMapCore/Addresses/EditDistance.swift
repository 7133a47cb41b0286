/// How alike two village names are, for the fuzzy tier of ``AddressMatcher``.
///
/// Optimal-string-alignment distance (Levenshtein plus the swap of two neighbours, since "河东"
/// for "东河" is as common a slip as one wrong character). Names are compared as Unicode scalars
/// — after NFKC one Chinese character is one scalar, so one character is one edit — because
/// scalars compare as integers where Characters compare as strings, and the fuzzy tier runs
/// this against every village of the town. The three rows live in one stack allocation.
enum EditDistance {
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previousPrevious = 0, previous = width, current = 2 * width
            for j in 0..<width { rows[previous + j] = j }
            for i in 1...a.count {
                rows[current] = i
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var best = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        best = min(best, rows[previousPrevious + j - 2] + 1)
                    }
                    rows[current + j] = best
                }
                (previousPrevious, previous, current) = (previous, current, previousPrevious)
            }
            return rows[previous + b.count]
        }
    }

    /// 1 − distance / longer length: 1 for equal names, 0 for names with nothing in common.
    static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(distance(a, b)) / Double(longer)
    }
}
