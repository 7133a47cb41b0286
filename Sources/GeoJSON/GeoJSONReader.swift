import Foundation

/// Reads a whole GeoJSON text at once, throwing on its first problem. For large files, or to
/// collect every bad feature instead of stopping, use `FeatureReader`.
public enum GeoJSONReader {
    /// Reads GeoJSON from bytes in memory (`Data`, `[UInt8]`, `string.utf8`, …).
    public static func read(
        _ bytes: some Collection<UInt8>, options: GeoJSONReaderOptions = .init()
    ) throws(GeoJSONError) -> GeoJSONDocument {
        try document(from: FeatureReader(bytes: bytes, options: options))
    }

    /// Reads GeoJSON text.
    public static func read(string: String, options: GeoJSONReaderOptions = .init()) throws(GeoJSONError) -> GeoJSONDocument {
        try read(string.utf8, options: options)
    }

    /// Reads the GeoJSON file at `path` (memory-mapped).
    public static func read(contentsOfFile path: String, options: GeoJSONReaderOptions = .init()) throws(GeoJSONError) -> GeoJSONDocument {
        try document(from: FeatureReader(path: path, options: options))
    }

    private static func document(from reader: FeatureReader) throws(GeoJSONError) -> GeoJSONDocument {
        var features: [Feature] = []
        while let result = reader.next() { features.append(try result.get()) }
        switch reader.documentKind {
        case .feature: return .feature(features[0])
        case .geometry: return .geometry(reader.topLevelGeometry!)
        case .featureCollection, nil:
            return .featureCollection(FeatureCollection(
                features: features, bbox: reader.collectionBBox, foreignMembers: reader.collectionForeignMembers))
        }
    }
}
