/// Writes a FeatureCollection feature by feature (RFC 7946 §3.3) to a sink, through a buffer
/// flushed every ~64 KiB, so memory never holds more than one feature's text.
///
/// Output is compact JSON with one feature per line, deterministic (the same features give the
/// same bytes). Call `write(_:)` for each feature, then `finish()`; `beginCollection` is
/// optional and only needed to add a `bbox` or foreign members (e.g. `name`) to the collection.
public final class GeoJSONWriter {
    public let options: GeoJSONWriterOptions
    /// Features written so far.
    public private(set) var featureCount = 0

    private let sink: any GeoJSONSink
    private let buffer = OutputBuffer()
    private var begun = false
    private var finished = false
    private static let flushThreshold = 64 << 10

    public init(sink: any GeoJSONSink, options: GeoJSONWriterOptions = .init()) {
        self.sink = sink
        self.options = options
    }

    /// Opens the collection with its `bbox` and foreign members (members named type, bbox or
    /// features are not written twice). Called implicitly by the first `write`.
    public func beginCollection(bbox: [Double]? = nil, foreignMembers: JSONObject = JSONObject()) throws(GeoJSONError) {
        precondition(!begun, "beginCollection called twice or after write")
        begun = true
        try buffer.appendCollectionHeader(bbox: bbox, foreignMembers: foreignMembers)
        buffer.append(.newline)
    }

    /// Appends one feature. On error (a non-finite coordinate) nothing of the feature is written.
    public func write(_ feature: Feature) throws(GeoJSONError) {
        precondition(!finished, "write after finish")
        if !begun { try beginCollection() }
        let mark = buffer.count
        do throws(GeoJSONError) {
            if featureCount > 0 { buffer.append(",\n") }
            try buffer.append(feature: feature, options: options)
        } catch {
            buffer.count = mark
            var located = error
            located.featureIndex = featureCount
            throw located
        }
        featureCount += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Closes the collection and flushes everything to the sink.
    public func finish() throws(GeoJSONError) {
        precondition(!finished, "finish called twice")
        if !begun { try beginCollection() }
        finished = true
        buffer.append(featureCount > 0 ? "\n]}\n" : "]}\n")
        try flush()
    }

    private func flush() throws(GeoJSONError) {
        do throws(OutputError) {
            try buffer.flush(to: sink)
        } catch {
            throw GeoJSONError(kind: .io, message: error.message)
        }
    }
}

extension GeoJSONWriter {
    /// One geometry as compact GeoJSON bytes.
    public static func encode(_ geometry: Geometry, options: GeoJSONWriterOptions = .init()) throws(GeoJSONError) -> [UInt8] {
        let buffer = OutputBuffer(capacity: 256)
        try buffer.append(geometry: geometry, options: options)
        return Array(buffer.bytes)
    }

    /// One feature as compact GeoJSON bytes.
    public static func encode(_ feature: Feature, options: GeoJSONWriterOptions = .init()) throws(GeoJSONError) -> [UInt8] {
        let buffer = OutputBuffer(capacity: 256)
        try buffer.append(feature: feature, options: options)
        return Array(buffer.bytes)
    }

    /// A whole collection as GeoJSON bytes, in the same layout the streaming writer produces.
    public static func encode(_ collection: FeatureCollection, options: GeoJSONWriterOptions = .init()) throws(GeoJSONError) -> [UInt8] {
        let sink = MemorySink()
        let writer = GeoJSONWriter(sink: sink, options: options)
        try writer.beginCollection(bbox: collection.bbox, foreignMembers: collection.foreignMembers)
        for feature in collection.features { try writer.write(feature) }
        try writer.finish()
        return sink.bytes
    }

    /// One geometry as a GeoJSON string.
    public static func string(_ geometry: Geometry, options: GeoJSONWriterOptions = .init()) throws(GeoJSONError) -> String {
        String(decoding: try encode(geometry, options: options), as: UTF8.self)
    }

    /// One feature as a GeoJSON string.
    public static func string(_ feature: Feature, options: GeoJSONWriterOptions = .init()) throws(GeoJSONError) -> String {
        String(decoding: try encode(feature, options: options), as: UTF8.self)
    }

    /// A collection as a GeoJSON string.
    public static func string(_ collection: FeatureCollection, options: GeoJSONWriterOptions = .init()) throws(GeoJSONError) -> String {
        String(decoding: try encode(collection, options: options), as: UTF8.self)
    }
}
