import CPROJ

/// A coordinate reference system: owns one `PJ*` made by `proj_create` and destroyed by
/// `proj_destroy`.
///
/// Accepts what `proj_create` accepts that is a CRS: an authority code ("EPSG:4549",
/// "urn:ogc:def:crs:EPSG::4549"), WKT, a PROJ string with "+type=crs", PROJJSON, or a CRS name
/// spelled exactly ("WGS 84"). Anything else throws with PROJ's own message.
///
/// A bare name is checked after the fact because `proj_create` looks names up approximately:
/// "foo" would silently become "Amersfoort".
public final class CRS {
    /// The definition as given, e.g. "EPSG:4549"; together with the target's it makes a
    /// `TransformDefinition`.
    public let definition: CRSDefinition
    /// The CRS's name from `proj_get_name`, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 120E".
    public let name: String
    /// True when coordinates are angles (longitude/latitude); false for projected, geocentric and
    /// other CRSs. A bound or compound CRS answers for its horizontal part.
    public let isGeographic: Bool
    /// For a projected CRS, the length of its coordinates' unit in metres (1 for metres, 0.3048 for
    /// international feet); nil for any other kind. A bound or compound CRS answers for its
    /// horizontal part.
    public let metresPerProjectedUnit: Double?
    /// The context `handle` lives in.
    public let context: PROJContext
    /// The `PJ*`, valid for the lifetime of `self`.
    let handle: OpaquePointer

    /// Creates the CRS described by `definition` with `proj_create`.
    ///
    /// - Throws: `PROJError.unknownCRS` when PROJ cannot parse or find it, `PROJError.notACRS`
    ///   when it parses to something else (`proj_is_crs` is false).
    public init(_ definition: CRSDefinition, context: PROJContext = PROJContext()) throws(PROJError) {
        context.clearLog()
        guard let handle = proj_create(context.handle, definition.description) else {
            throw PROJError.unknownCRS(definition: definition, message: context.failureMessage())
        }
        let name = proj_get_name(handle).map { String(cString: $0) } ?? ""
        if Self.isBareName(definition.description), name.lowercased() != definition.description.lowercased() {
            proj_destroy(handle)
            throw PROJError.unknownCRS(
                definition: definition,
                message: "no CRS has this name (the closest PROJ found is \"\(name)\"); "
                    + "use an authority code such as EPSG:4549, WKT or a PROJ string")
        }
        guard proj_is_crs(handle) != 0 else {
            let kind = Self.describe(proj_get_type(handle))
            proj_destroy(handle)
            throw PROJError.notACRS(definition: definition, kind: kind)
        }
        self.definition = definition
        self.context = context
        self.handle = handle
        self.name = name
        self.isGeographic = Self.isGeographic(handle, context: context.handle)
        self.metresPerProjectedUnit = Self.metresPerProjectedUnit(handle, context: context.handle)
    }

    deinit {
        proj_destroy(handle)
    }

    /// Where the CRS may be used, as its definition states it (`proj_get_area_of_use`): a box in
    /// WGS84 degrees and the area's name. Nil when the definition states none (a PROJ string,
    /// WKT without a `BBOX`).
    public var areaOfUse: AreaOfUse? {
        var west = 0.0, south = 0.0, east = 0.0, north = 0.0
        var name: UnsafePointer<CChar>?
        // Returns TRUE on success; PROJ writes -1000 into a bound it does not know.
        guard proj_get_area_of_use(context.handle, handle, &west, &south, &east, &north, &name) != 0,
              [west, south, east, north].allSatisfy({ $0 > -1000 }) else { return nil }
        return AreaOfUse(west: west, south: south, east: east, north: north, name: name.map { String(cString: $0) } ?? "")
    }

    /// True when `definition` is neither an authority code ("AUTH:code", including URNs), WKT
    /// ("…[…"), PROJJSON ("{…") nor a PROJ string ("+proj=…", "proj=…"), i.e. `proj_create` will
    /// treat it as a name to search for.
    private static func isBareName(_ definition: String) -> Bool {
        let trimmed = String(definition.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if trimmed.hasPrefix("+") || trimmed.hasPrefix("{") || trimmed.contains("[") || trimmed.contains("proj=") {
            return false
        }
        let isAuthorityCode = trimmed.contains(":") && !trimmed.contains(where: \.isWhitespace)
        return !isAuthorityCode
    }

    /// Whether the horizontal part of `crs` is geographic.
    private static func isGeographic(_ crs: OpaquePointer, context: OpaquePointer) -> Bool {
        horizontalPart(of: crs, context: context) { horizontal in
            [PJ_TYPE_GEOGRAPHIC_CRS, PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS].contains(proj_get_type(horizontal))
        } ?? false
    }

    /// The unit of the first axis of the horizontal part of `crs` when it is a projected CRS
    /// (`proj_crs_get_coordinate_system`, `proj_cs_get_axis_info`), in metres; nil otherwise.
    private static func metresPerProjectedUnit(_ crs: OpaquePointer, context: OpaquePointer) -> Double? {
        horizontalPart(of: crs, context: context) { horizontal -> Double? in
            guard proj_get_type(horizontal) == PJ_TYPE_PROJECTED_CRS,
                  let system = proj_crs_get_coordinate_system(context, horizontal) else { return nil }
            defer { proj_destroy(system) }
            var metres = 0.0
            // Returns TRUE on success; the factor converts the axis unit to the SI unit (metre).
            guard proj_cs_get_axis_info(context, system, 0, nil, nil, nil, &metres, nil, nil, nil) != 0 else { return nil }
            return metres
        } ?? nil
    }

    /// `body` applied to the horizontal part of `crs`, looking through a bound CRS
    /// (`proj_get_source_crs`) and a compound CRS (`proj_crs_get_sub_crs`, index 0); nil when PROJ
    /// cannot give that part. The parts are borrowed for the call and destroyed after it.
    private static func horizontalPart<Answer>(of crs: OpaquePointer, context: OpaquePointer,
                                               _ body: (OpaquePointer) -> Answer) -> Answer? {
        switch proj_get_type(crs) {
        case PJ_TYPE_BOUND_CRS:
            guard let base = proj_get_source_crs(context, crs) else { return nil }
            defer { proj_destroy(base) }
            return horizontalPart(of: base, context: context, body)
        case PJ_TYPE_COMPOUND_CRS:
            guard let horizontal = proj_crs_get_sub_crs(context, crs, 0) else { return nil }
            defer { proj_destroy(horizontal) }
            return horizontalPart(of: horizontal, context: context, body)
        default:
            return body(crs)
        }
    }

    /// Words for the kind of a non-CRS object, for `PROJError.notACRS`.
    private static func describe(_ type: PJ_TYPE) -> String {
        switch type {
        case PJ_TYPE_CONVERSION, PJ_TYPE_TRANSFORMATION, PJ_TYPE_CONCATENATED_OPERATION,
            PJ_TYPE_OTHER_COORDINATE_OPERATION:
            "a coordinate operation"
        case PJ_TYPE_ELLIPSOID: "an ellipsoid"
        case PJ_TYPE_PRIME_MERIDIAN: "a prime meridian"
        case PJ_TYPE_GEODETIC_REFERENCE_FRAME, PJ_TYPE_DYNAMIC_GEODETIC_REFERENCE_FRAME,
            PJ_TYPE_VERTICAL_REFERENCE_FRAME, PJ_TYPE_DYNAMIC_VERTICAL_REFERENCE_FRAME,
            PJ_TYPE_DATUM_ENSEMBLE, PJ_TYPE_TEMPORAL_DATUM, PJ_TYPE_ENGINEERING_DATUM,
            PJ_TYPE_PARAMETRIC_DATUM:
            "a datum"
        default: "an object of PROJ type \(type.rawValue)"
        }
    }
}

/// The region a CRS is meant for, from its definition (EPSG's "area of use"): a longitude/latitude
/// box in degrees and the region's name, e.g. "China - onshore between 118°30'E and 121°30'E.".
/// A box crossing the antimeridian has `west` > `east`.
public struct AreaOfUse: Sendable, Hashable {
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double
    public var name: String

    public init(west: Double, south: Double, east: Double, north: Double, name: String) {
        (self.west, self.south, self.east, self.north, self.name) = (west, south, east, north, name)
    }

    /// Whether the point (longitude, latitude) in degrees lies in the box, edges included.
    public func contains(longitude: Double, latitude: Double) -> Bool {
        guard (south...north).contains(latitude) else { return false }
        return west <= east ? (west...east).contains(longitude) : longitude >= west || longitude <= east
    }
}
