/// How the writer formats coordinates and polygons.
public struct GeoJSONWriterOptions: Sendable, Hashable {
    /// Decimal places kept in coordinates (0…15), or nil for the shortest text that reads back
    /// to the same double. The default, 7, is about 1 cm in longitude/latitude, as RFC 7946
    /// §11.2 suggests ("6 decimal places … ~10 centimeters"). Values are rounded half away from
    /// zero and trailing zeros dropped: 119.99999996 → `120`, 1.5000000 → `1.5`, -0.00000001 → `0`.
    public var coordinatePrecision: Int?
    /// Orient polygon rings as RFC 7946 §3.1.6 requires: exterior counter-clockwise, holes
    /// clockwise (rings are reversed as needed; the input is not changed).
    public var correctsWinding: Bool

    public init(coordinatePrecision: Int? = 7, correctsWinding: Bool = true) {
        precondition(coordinatePrecision.map { (0...15).contains($0) } ?? true, "coordinatePrecision must be in 0...15")
        self.coordinatePrecision = coordinatePrecision
        self.correctsWinding = correctsWinding
    }
}
