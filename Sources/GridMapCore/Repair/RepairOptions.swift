/// What an import may change in the data it reads, on the user's request only (`gridmap import
/// --make-valid`, `--snap TOLERANCE`). With neither (the default) nothing is changed: invalid
/// polygons and slivers are reported by validation and refuse the import.
public struct RepairOptions: Hashable, Sendable {
    /// Repair invalid geometries with GEOS MakeValid, keeping each one's geometry type.
    public var makesValid: Bool
    /// Snap grid and micro-grid vertices and edges within this many metres of each other (in the
    /// town's working CRS); nil snaps nothing.
    public var snapTolerance: Double?

    public init(makesValid: Bool = false, snapTolerance: Double? = nil) {
        self.makesValid = makesValid
        self.snapTolerance = snapTolerance
    }

    /// Whether anything may change.
    public var isEmpty: Bool { !makesValid && snapTolerance == nil }

    /// The largest snap tolerance accepted: beyond a metre, snapping would move real boundaries,
    /// not mend rounding.
    public static let maximumSnapTolerance = 1.0

    /// Refuses a tolerance that is not a finite number in (0, ``maximumSnapTolerance``].
    public func check() throws(RepairError) {
        guard let tolerance = snapTolerance else { return }
        guard tolerance.isFinite, tolerance > 0, tolerance <= Self.maximumSnapTolerance else {
            throw .invalidTolerance("the snap tolerance must be a number of metres above 0 and at most "
                + "\(Self.maximumSnapTolerance), got \(tolerance)")
        }
    }
}

/// A repair that cannot start.
public enum RepairError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidTolerance(String)

    public var description: String {
        switch self {
        case .invalidTolerance(let message): message
        }
    }
}
