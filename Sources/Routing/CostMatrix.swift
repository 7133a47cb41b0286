/// A dense rows × columns matrix of costs (metres or seconds), row-major; infinity marks a pair
/// with no route (different components).
public struct CostMatrix: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public private(set) var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "a \(rows)×\(columns) matrix needs \(rows * columns) values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A square matrix from nested rows.
    public init(_ nested: [[Double]]) {
        precondition(nested.allSatisfy { $0.count == nested.count }, "the rows must make a square")
        self.init(rows: nested.count, columns: nested.count, values: nested.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The pairs (row, column) with no route.
    public var unreachablePairs: [(row: Int, column: Int)] {
        values.indices.filter { !values[$0].isFinite }.map { ($0 / columns, $0 % columns) }
    }
}
