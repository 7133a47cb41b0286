/// A coordinate reference system as text `proj_create` accepts: an authority code ("EPSG:4549"),
/// WKT, a PROJ string with "+type=crs", PROJJSON or an exact CRS name. It is a typed name, not a
/// checked one: ``CRS/init(_:context:)`` asks PROJ whether it exists.
///
/// The text is kept exactly as given, because it is what towns store and exchange (`workingCRS`
/// in town.json, `working_crs` in the store) and what messages show; two spellings of one CRS
/// ("EPSG:4326", "epsg:4326") are different values.
public struct CRSDefinition: Sendable, Hashable, ExpressibleByStringLiteral, LosslessStringConvertible {
    /// The definition as given, e.g. "EPSG:4549".
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// WGS84 longitude/latitude: the CRS of every coordinate GridMap stores and exchanges (RFC 7946
    /// GeoJSON). Like every CRS here it is used in (longitude, latitude) order, whatever EPSG
    /// declares (see ``Transformer``).
    public static let wgs84: CRSDefinition = "EPSG:4326"

    /// Whether this is a usual spelling of WGS84 longitude/latitude (``wgs84``, OGC:CRS84 and their
    /// URN and URL forms), i.e. GeoJSON coordinates in it need no transformation. EPSG:4326 counts:
    /// GeoJSON writers put longitude first whatever EPSG says about axis order.
    public var isWGS84: Bool {
        let normalized = String(description.uppercased().filter { $0 != " " })
        return Self.wgs84Spellings.contains(normalized)
    }

    private static let wgs84Spellings: Set<String> = [
        "OGC:CRS84", "CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "URN:OGC:DEF:CRS:OGC::CRS84",
        "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84", wgs84.description, "URN:OGC:DEF:CRS:EPSG::4326",
        "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/4326",
    ]
}
