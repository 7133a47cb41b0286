import CGEOS

/// Why a geometry is not valid in the OGC sense, as GEOS reports it.
public struct ValidityProblem: Hashable, Sendable {
    /// GEOS's reason, e.g. "Self-intersection", "Ring Self-intersection", "Too few points".
    public var reason: String
    /// Where the problem is, when GEOS gives a location.
    public var location: Coordinate?
}

extension GEOSGeometry {
    /// Whether the geometry is valid (`GEOSisValid_r`; 2 means exception).
    public var isValid: Bool {
        get throws(GEOSError) { try context.checkPredicate(GEOSisValid_r(context.handle, handle), "GEOSisValid_r") }
    }

    /// The first validity problem with its location, or nil when valid (`GEOSisValidDetail_r`,
    /// whose owned reason string and location point are freed here).
    public func validity() throws(GEOSError) -> ValidityProblem? {
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        let result = GEOSisValidDetail_r(context.handle, handle, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(context.handle, reason) }
            if let location { GEOSGeom_destroy_r(context.handle, location) }
        }
        switch result {
        case 1: return nil
        case 0: break
        default: throw context.libraryError("GEOSisValidDetail_r")
        }
        var coordinate: Coordinate?
        if let location, GEOSisEmpty_r(context.handle, location) == 0 {
            var x = 0.0, y = 0.0
            if GEOSGeomGetX_r(context.handle, location, &x) == 1, GEOSGeomGetY_r(context.handle, location, &y) == 1 {
                coordinate = Coordinate(x: x, y: y)
            }
        }
        return ValidityProblem(reason: reason.map { String(cString: $0) } ?? "invalid", location: coordinate)
    }

    /// A valid geometry covering the same points (`GEOSMakeValid_r`, the "linework" method);
    /// the result may be of a different type, e.g. a bow-tie becomes a multi-polygon.
    public func makeValid() throws(GEOSError) -> GEOSGeometry {
        try GEOSGeometry(result: GEOSMakeValid_r(context.handle, handle), context: context, "GEOSMakeValid_r")
    }
}
