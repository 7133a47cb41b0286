import CGDAL
import GeoJSON

/// One feature of a vector source, as values: its layer, GDAL's feature id, its attributes and
/// its geometry in the layer's coordinates (x easting or longitude, y northing or latitude, as
/// vector formats store them).
public struct SourceFeature: Sendable {
    public var layer: String
    /// GDAL's feature id in the layer (for OSM, the OSM id of the node, way or relation).
    public var fid: Int64
    /// The fields that are set and not null, in the layer's field order: integers and reals as
    /// numbers (a real that is not finite as text), everything else as GDAL writes it as text.
    public var attributes: JSONObject
    /// Nil when the feature has none, or its geometry could not be read (``geometryProblem``).
    public var geometry: Geometry?
    /// Why the geometry could not be read (an empty or unsupported geometry), if so.
    public var geometryProblem: String?
    /// What was done to the geometry to make it GeoJSON: curves linearised, elevations dropped.
    public var notes: [String]
}

/// The one owner of an `OGRFeatureH` from `GDALDatasetGetNextFeature`, destroyed in `deinit`.
final class OwnedFeature {
    let handle: OGRFeatureH

    init(_ handle: OGRFeatureH) { self.handle = handle }

    deinit { OGR_F_Destroy(handle) }

    func value(layer: String, fid: Int64, messages: CPLMessages) -> SourceFeature {
        var members: [JSONObject.Member] = []
        let count = OGR_F_GetFieldCount(handle)
        members.reserveCapacity(Int(count))
        for index in 0..<count where OGR_F_IsFieldSetAndNotNull(handle, index) != 0 {
            guard let field = OGR_F_GetFieldDefnRef(handle, index) else { continue }
            members.append((String(cString: OGR_Fld_GetNameRef(field)), value(of: index, type: OGR_Fld_GetType(field))))
        }
        var notes: [String] = []
        var geometry: Geometry?
        var problem: String?
        // The feature hands its geometry over (`OGR_F_StealGeometry`): from here one owner frees it.
        if let stolen = OGR_F_StealGeometry(handle) {
            let owned = OwnedGeometry(stolen)
            let result = withExtendedLifetime(owned) {
                messages.capture { () -> Result<Geometry, GeometryRefusal> in
                    do throws(GeometryRefusal) {
                        return .success(try OGRGeometryReader.geometry(owned.handle, notes: &notes))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            switch result {
            case .success(let read): geometry = read
            case .failure(let refusal): problem = refusal.message
            }
        }
        return SourceFeature(layer: layer, fid: fid, attributes: JSONObject(members), geometry: geometry,
                             geometryProblem: problem, notes: notes)
    }

    private func value(of index: Int32, type: OGRFieldType) -> JSONValue {
        switch type {
        case OFTInteger, OFTInteger64:
            return .number(JSONNumber(OGR_F_GetFieldAsInteger64(handle, index)))
        case OFTReal:
            let number = OGR_F_GetFieldAsDouble(handle, index)
            return number.isFinite ? .number(JSONNumber(number)) : .string(String(number))
        default:
            return .string(OGR_F_GetFieldAsString(handle, index).map { String(cString: $0) } ?? "")
        }
    }
}

/// The one owner of an `OGRGeometryH` the caller must free (stolen from a feature, or made by
/// `OGR_G_GetLinearGeometry`), destroyed in `deinit`. Parts reached through
/// `OGR_G_GetGeometryRef` are borrowed from it and never wrapped.
final class OwnedGeometry {
    let handle: OGRGeometryH

    init(_ handle: OGRGeometryH) { self.handle = handle }

    deinit { OGR_G_DestroyGeometry(handle) }
}

/// Why a geometry could not be turned into GeoJSON.
struct GeometryRefusal: Error {
    var message: String
}

/// OGR geometries to GeoJSON values, read through the C API's accessors (no WKB or JSON text in
/// between). Curves (circular strings, compound curves, curve polygons, …) are linearised with
/// GDAL's default step (`OGR_G_GetLinearGeometry`); elevations and measures are dropped, since
/// the town is two-dimensional: each is said in `notes`.
enum OGRGeometryReader {
    static func geometry(_ handle: OGRGeometryH, notes: inout [String]) throws(GeometryRefusal) -> Geometry {
        let type = OGR_G_GetGeometryType(handle)
        if OGR_GT_IsNonLinear(type) != 0 {
            guard let linear = OGR_G_GetLinearGeometry(handle, 0, nil) else {
                throw GeometryRefusal(message: "the curved \(name(of: type)) could not be linearised")
            }
            note("curved geometry linearised", in: &notes)
            // The owner must outlive the reading: Swift may release an object after its last use.
            let owned = OwnedGeometry(linear)
            return try withExtendedLifetime(owned) { () throws(GeometryRefusal) in try geometry(owned.handle, notes: &notes) }
        }
        if OGR_G_Is3D(handle) != 0 || OGR_G_IsMeasured(handle) != 0 { note("elevations and measures dropped (3D to 2D)", in: &notes) }
        if OGR_G_IsEmpty(handle) != 0 { throw GeometryRefusal(message: "the \(name(of: type)) is empty") }
        switch OGR_GT_Flatten(type) {
        case wkbPoint:
            return .point(Position(x: OGR_G_GetX(handle, 0), y: OGR_G_GetY(handle, 0)))
        case wkbLineString, wkbLinearRing:
            return .lineString(positions(handle))
        case wkbPolygon:
            return .polygon(rings(handle))
        case wkbMultiPoint:
            return .multiPoint(parts(handle).map { positions($0).first ?? Position(x: .nan, y: .nan) })
        case wkbMultiLineString:
            return .multiLineString(parts(handle).map(positions))
        case wkbMultiPolygon:
            return .multiPolygon(parts(handle).map(rings))
        case wkbGeometryCollection:
            var members: [Geometry] = []
            for part in parts(handle) where OGR_G_IsEmpty(part) == 0 {
                members.append(try geometry(part, notes: &notes))
            }
            return .geometryCollection(members)
        default:
            throw GeometryRefusal(message: "a \(name(of: type)) cannot be a town's feature (points, lines and polygons only)")
        }
    }

    private static func note(_ text: String, in notes: inout [String]) {
        if !notes.contains(text) { notes.append(text) }
    }

    private static func name(of type: OGRwkbGeometryType) -> String { String(cString: OGRGeometryTypeToName(type)) }

    /// The borrowed parts of a collection (or the rings of a polygon).
    private static func parts(_ handle: OGRGeometryH) -> [OGRGeometryH] {
        (0..<OGR_G_GetGeometryCount(handle)).compactMap { OGR_G_GetGeometryRef(handle, $0) }
    }

    private static func rings(_ polygon: OGRGeometryH) -> [[Position]] { parts(polygon).map(positions) }

    /// A point, line string or ring's positions, read in one `OGR_G_GetPoints` call.
    private static func positions(_ handle: OGRGeometryH) -> [Position] {
        let count = Int(OGR_G_GetPointCount(handle))
        guard count > 0 else { return [] }
        var xs = [Double](repeating: 0, count: count)
        var ys = [Double](repeating: 0, count: count)
        let stride = Int32(MemoryLayout<Double>.stride)
        xs.withUnsafeMutableBytes { x in
            ys.withUnsafeMutableBytes { y in
                _ = OGR_G_GetPoints(handle, x.baseAddress, stride, y.baseAddress, stride, nil, 0)
            }
        }
        return (0..<count).map { Position(x: xs[$0], y: ys[$0]) }
    }
}
