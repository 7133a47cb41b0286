import CGDAL
import GeoJSON

/// GDAL's drivers are registered once per process, on first use (a global `let` is initialised
/// exactly once, thread-safely).
private let driversRegistered: Void = GDALAllRegister()

/// One vector source opened read-only through GDAL: any file a GDAL vector driver reads
/// (GeoPackage, Shapefile, GeoJSON and GeoJSON-seq, KML, CSV with coordinates, OSM PBF and XML, …).
///
/// It owns the `GDALDatasetH` and closes it in `deinit`; layers and their spatial references are
/// borrowed from it and never freed. A dataset is not thread-safe, so this object is not
/// `Sendable`: one thread opens it, reads it and lets it go. What comes out are values
/// (``VectorLayer``, ``SourceFeature``), free to cross threads.
public final class VectorDataset {
    /// The path as the caller gave it, as every message names the file.
    public let path: String
    /// GDAL's short name of the driver that opened it ("GPKG", "OSM", "ESRI Shapefile", …).
    public let driverName: String
    /// The layers, in the dataset's order.
    public let layers: [VectorLayer]
    /// GDAL's warnings while opening and reading (a field truncated, a ring closed), each kept
    /// once, at most ``maximumWarnings`` of them.
    public private(set) var warnings: [String] = []
    public static let maximumWarnings = 20
    private let handle: GDALDatasetH
    private let messages = CPLMessages()

    /// Opens `path` with the vector drivers, passing `openOptions` (`NAME=VALUE`, the driver's
    /// open options: GDAL's per-dataset settings, so no process-wide config option is changed).
    public init(path: String, openOptions: [String] = []) throws(GDALError) {
        _ = driversRegistered
        self.path = path
        let messages = messages
        let opened: GDALDatasetH? = messages.capture {
            withCStringList(openOptions) { options in
                GDALOpenEx(path, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR), nil, options, nil)
            }
        }
        guard let opened else {
            throw GDALError(.cannotOpen, file: path, message: messages.takeErrors(or: "GDAL cannot open it as a vector source"))
        }
        handle = opened
        driverName = GDALGetDatasetDriver(opened).flatMap { GDALGetDriverShortName($0) }.map { String(cString: $0) } ?? "?"
        var layers: [VectorLayer] = []
        for index in 0..<GDALDatasetGetLayerCount(opened) {
            guard let layer = GDALDatasetGetLayer(opened, index) else { continue }
            let name = String(cString: OGR_L_GetName(layer))
            let crs: String?
            do {
                crs = try OGR_L_GetSpatialRef(layer).map { (srs) throws(GDALError) in try Self.definition(of: srs, file: path, layer: name) }
            } catch {
                GDALClose(opened)
                throw error
            }
            let geometryType = String(cString: OGRGeometryTypeToName(OGR_L_GetGeomType(layer)))
            layers.append(VectorLayer(name: name, crs: crs, geometryType: geometryType))
        }
        self.layers = layers
        keepWarnings()
    }

    /// Moves GDAL's warnings from the message box into ``warnings``.
    private func keepWarnings() {
        for warning in messages.takeWarnings() where warnings.count < Self.maximumWarnings && !warnings.contains(warning) {
            warnings.append(warning)
        }
    }

    deinit { GDALClose(handle) }

    /// Every feature of every layer, in the order the driver reads best (`GDALDatasetGetNextFeature`:
    /// for OSM one pass over the file with the layers interleaved, for other drivers layer after
    /// layer). `body` gets each feature as a value; a feature GDAL cannot read ends the reading
    /// with an error naming the layer and the last feature read.
    public func forEachFeature(_ body: (SourceFeature) throws -> Void) throws {
        GDALDatasetResetReading(handle)
        var lastLayer: String?
        var lastFID: Int64?
        while true {
            var layer: OGRLayerH?
            let next: OGRFeatureH? = messages.capture { GDALDatasetGetNextFeature(handle, &layer, nil, nil, nil) }
            keepWarnings()
            guard let next else {
                let failure = messages.takeErrors(or: "")
                if !failure.isEmpty {
                    throw GDALError(.cannotRead, file: path, layer: lastLayer, feature: lastFID,
                                    message: "reading stopped after this feature: \(failure)")
                }
                return
            }
            let feature = OwnedFeature(next)
            let layerName = layer.map { String(cString: OGR_L_GetName($0)) } ?? ""
            let fid = OGR_F_GetFID(next)
            lastLayer = layerName
            lastFID = fid
            let value = feature.value(layer: layerName, fid: fid, messages: messages)
            keepWarnings()
            try body(value)
        }
    }

    /// The definition PROJ takes for `srs`: its authority and code when it has them
    /// ("EPSG:4326"), else its WKT2 text.
    private static func definition(of srs: OGRSpatialReferenceH, file: String, layer: String) throws(GDALError) -> String {
        if let authority = OSRGetAuthorityName(srs, nil), let code = OSRGetAuthorityCode(srs, nil) {
            return "\(String(cString: authority)):\(String(cString: code))"
        }
        var text: UnsafeMutablePointer<CChar>?
        let result = withCStringList(["FORMAT=WKT2_2019"]) { OSRExportToWktEx(srs, &text, $0) }
        defer { VSIFree(text) }  // the string is GDAL's allocation: freed with CPLFree (VSIFree)
        guard result == OGRERR_NONE, let text else {
            throw GDALError(.unknownCRS, file: file, layer: layer, message: "its spatial reference system cannot be exported as WKT")
        }
        return String(cString: text)
    }
}

/// A layer of a ``VectorDataset``, as values.
public struct VectorLayer: Sendable, Hashable {
    public var name: String
    /// The layer's CRS as a definition PROJ takes ("EPSG:4326", or WKT2), nil when it declares none.
    public var crs: String?
    /// GDAL's name of the layer's geometry type ("Point", "Multi Polygon", "Unknown (any)").
    public var geometryType: String
}

/// Calls `body` with a NULL-terminated C array of copies of the strings (GDAL's `CSLConstList`),
/// freed after the call.
func withCStringList<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let list: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return list.withUnsafeBufferPointer { body($0.baseAddress) }
}
