import GEOS
import GridMapCore

/// The rule of ``AreaFilter`` for one area, evaluated in Swift: both stores use it, the
/// in-memory store for the whole rule and the SQLite store for the exact step after its SQL
/// prefilter, so that the two cannot disagree about what lies in an area.
///
/// Points and homes lie in the area when the micro-grid stored for them does; every other
/// feature when its box meets the area's box and `GEOSPreparedIntersects_r` says its geometry
/// meets the area's polygon. Holds a GEOS context, so it is made inside one read and used on
/// that thread only.
struct AreaMatcher {
    let area: AreaFilter
    /// The area polygon's box.
    let envelope: Envelope
    private let context = GEOSContext()
    private let prepared: PreparedGeometry

    /// `wkb` is the area's stored polygon.
    init(_ area: AreaFilter, wkb: [UInt8], envelope: Envelope) throws(StoreError) {
        self.area = area
        self.envelope = envelope
        do {
            prepared = try PreparedGeometry(GEOSGeometry(wkb: wkb, context: context))
        } catch {
            throw .corrupt("\(area) polygon: \(error)")
        }
    }

    /// Whether a feature is placed by the micro-grid of its representative point rather than by
    /// its geometry. (The SQLite store's `locatedByPoint` says the same in SQL.)
    static func isLocatedByPoint(kind: FeatureKind, geometryType: String) -> Bool {
        geometryType == "Point" || kind == .home
    }

    /// The whole rule for one stored feature (`envelope` nil: an empty geometry, in no area).
    func contains(kind: FeatureKind, geometryType: String, microGrid: GridCode?,
                  wkb: [UInt8], envelope: Envelope?, id: String) throws(StoreError) -> Bool {
        if Self.isLocatedByPoint(kind: kind, geometryType: geometryType) { return area.contains(microGrid: microGrid) }
        guard let envelope, envelope.intersects(self.envelope) else { return false }
        return try intersects(wkb: wkb, id: id)
    }

    /// Whether the stored geometry `wkb` of feature `id` meets the area's polygon.
    func intersects(wkb: [UInt8], id: String) throws(StoreError) -> Bool {
        do {
            return try prepared.intersects(GEOSGeometry(wkb: wkb, context: context))
        } catch {
            throw .corrupt("features \(id), column wkb: \(error)")
        }
    }
}
