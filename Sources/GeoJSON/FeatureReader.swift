/// Streams the features of a GeoJSON text one at a time (RFC 7946 §3.3), without building the
/// whole collection.
///
/// Each call to `next()` yields `.success(feature)` or `.failure(error)`. A feature that is well
/// formed JSON but invalid GeoJSON (an open ring, a latitude of 91, …) yields one failure naming
/// its index and location, and reading goes on with the next feature. Broken JSON, trailing
/// garbage and problems in the collection's own members yield one failure and end the stream.
///
/// A top-level Feature is yielded as the only feature; a bare Geometry as the only feature,
/// with null properties. Collection-level `bbox` and foreign members (including a legacy `crs`)
/// are available as soon as they have been read — those after "features" once the stream ends.
public final class FeatureReader: Sequence, IteratorProtocol {
    public typealias Element = Result<Feature, GeoJSONError>

    /// What the GeoJSON text holds at its top level.
    public enum DocumentKind: Sendable, Hashable {
        case featureCollection, feature, geometry
    }

    /// Known once the first element has been requested.
    public private(set) var documentKind: DocumentKind?
    /// The FeatureCollection's `bbox` (§5), if it has one.
    public private(set) var collectionBBox: [Double]?
    /// The FeatureCollection's foreign members (§6.1), in input order.
    public private(set) var collectionForeignMembers = JSONObject()
    /// The top-level geometry, when the text is a bare Geometry.
    public private(set) var topLevelGeometry: Geometry?

    private enum State {
        case start
        /// Inside the "features" array; `first` until the first element has been read.
        case inFeatures(first: Bool)
        case finished
    }

    private let input: InputBytes
    private var parser: GeometryParser
    private var locator = SourceLocator()
    private var state = State.start
    private var nextFeatureIndex = 0
    private var sawCollectionType = false
    private var sawFeatures = false

    /// Reads the file at `path`, memory-mapped.
    public convenience init(path: String, options: GeoJSONReaderOptions = .init()) throws(GeoJSONError) {
        self.init(input: try InputBytes(path: path), options: options)
    }

    /// Reads bytes held in memory (`Data`, `[UInt8]`, a `String`'s `utf8`, …); they are copied once.
    public convenience init(bytes: some Collection<UInt8>, options: GeoJSONReaderOptions = .init()) {
        self.init(input: InputBytes(copying: bytes), options: options)
    }

    /// Reads all of standard input (which may be a pipe, so it is read into memory first).
    public static func standardInput(options: GeoJSONReaderOptions = .init()) throws(GeoJSONError) -> FeatureReader {
        FeatureReader(input: try InputBytes.readingAll(from: 0), options: options)
    }

    private init(input: InputBytes, options: GeoJSONReaderOptions) {
        self.input = input
        self.parser = GeometryParser(scanner: JSONScanner(base: input.base, count: input.count), options: options)
    }

    /// Reads everything that is left: the good features, and every error in input order.
    public func readAll() -> (features: [Feature], errors: [GeoJSONError]) {
        var features: [Feature] = []
        var errors: [GeoJSONError] = []
        while let result = next() {
            switch result {
            case .success(let feature): features.append(feature)
            case .failure(let error): errors.append(error)
            }
        }
        return (features, errors)
    }

    public func next() -> Result<Feature, GeoJSONError>? {
        do throws(GeoJSONError) {
            while true {
                switch state {
                case .finished:
                    return nil
                case .start:
                    if let single = try begin() { return .success(single) }
                case .inFeatures(let first):
                    let more = first ? !parser.scanner.consume(.closeBracket) : try parser.scanner.nextElement()
                    guard more else {
                        try readCollectionMembers(afterFeatures: true)
                        continue
                    }
                    state = .inFeatures(first: false)
                    return nextFeature()
                }
            }
        } catch {
            state = .finished
            return .failure(located(error))
        }
    }

    /// Reads one element of "features"; on a semantic error, skips to the element's end.
    private func nextFeature() -> Result<Feature, GeoJSONError> {
        let index = nextFeatureIndex
        nextFeatureIndex += 1
        parser.scanner.skipWhitespace()
        let start = parser.scanner.index
        do throws(GeoJSONError) {
            let feature = try parser.parseFeature()
            input.release(before: parser.scanner.index)
            return .success(feature)
        } catch {
            var problem = error
            if !problem.isFatal {
                // Read again as plain JSON to skip it, keeping its id: whoever refers to the
                // feature by id can then be told why it was refused rather than that it is missing.
                parser.scanner.index = start
                do throws(GeoJSONError) {
                    if case .object(let object) = try parser.scanner.scanValue(depth: 2) {
                        switch object["id"] {
                        case .string(let text)?: problem.featureID = .string(text)
                        case .number(let number)?: problem.featureID = .number(number)
                        default: break
                        }
                    }
                } catch {
                    // Not even readable as plain JSON (a value over a size limit): step over it
                    // without decoding; when that fails too, reading cannot go on.
                    parser.scanner.index = start
                    do throws(GeoJSONError) { try parser.scanner.skipValue(depth: 2) } catch {
                        problem = error
                        state = .finished
                    }
                }
            }
            if problem.isFatal { state = .finished }
            problem.featureIndex = index
            return .failure(located(problem))
        }
    }

    /// Decides what the text is and starts reading it. Returns the single feature of a
    /// top-level Feature or Geometry; nil for a FeatureCollection (its features follow).
    private func begin() throws(GeoJSONError) -> Feature? {
        guard let first = parser.scanner.peekToken() else {
            throw .at(0, .emptyInput, "empty input: expected a GeoJSON object")
        }
        guard first == .openBrace else {
            try parser.scanner.skipValue()
            try expectEnd()
            throw .at(0, .wrongType, "a GeoJSON text must be an object (RFC 7946 §2), found \(describe(first))")
        }
        let type = try peekTopLevelType()
        switch type {
        case "FeatureCollection":
            documentKind = .featureCollection
            parser.scanner.index += 1  // '{'
            if parser.scanner.consume(.closeBrace) {
                try finishCollection()
                return nil
            }
            try readCollectionMembers(afterFeatures: false)
            return nil
        case "Feature":
            documentKind = .feature
            let feature = try parser.parseFeature()
            try expectEnd()
            state = .finished
            return feature
        default:
            documentKind = .geometry
            let geometry = try parser.parseGeometry()
            try expectEnd()
            state = .finished
            topLevelGeometry = geometry
            return Feature(geometry: geometry, properties: nil)
        }
    }

    /// Reads the collection's members up to "features" (then the stream yields features) or to
    /// the end of the object. `afterFeatures` means the "features" array has just closed.
    private func readCollectionMembers(afterFeatures: Bool) throws(GeoJSONError) {
        if afterFeatures {
            guard try parser.scanner.nextMember() else { return try finishCollection() }
        }
        repeat {
            let keyOffset = try parser.scanner.expectMemberName()
            let key = try parser.scanner.scanString()
            try parser.scanner.expect(.colon, "':' after a member name")
            switch key {
            case "type":
                try parser.checkFirst(sawCollectionType, key, keyOffset)
                sawCollectionType = true
                try parser.expectTypeName("FeatureCollection")
            case "features":
                try parser.checkFirst(sawFeatures, key, keyOffset)
                sawFeatures = true
                guard parser.scanner.peekToken() == .openBracket else {
                    try parser.scanner.requireValueStart()
                    throw GeoJSONError.at(parser.scanner.index, .invalidMember, "features must be an array (RFC 7946 §3.3), found \(parser.describeValue())").inside(key: "features")
                }
                parser.scanner.index += 1
                state = .inFeatures(first: true)
                return
            case "bbox":
                try parser.checkFirst(collectionBBox != nil, key, keyOffset)
                collectionBBox = try parser.parseBBox()
            case "coordinates", "geometries", "geometry", "properties":
                throw GeometryParser.redefinedMember(key, on: "a FeatureCollection", at: keyOffset)
            default:
                try parser.checkFirst(collectionForeignMembers[key] != nil, key, keyOffset)
                collectionForeignMembers.appendUnchecked(key: key, value: try parser.scanner.scanValue(depth: 1))
            }
        } while try parser.scanner.nextMember()
        try finishCollection()
    }

    private func finishCollection() throws(GeoJSONError) {
        state = .finished
        guard sawFeatures else {
            throw .at(0, .invalidMember, "FeatureCollection has no \"features\" member (RFC 7946 §3.3)")
        }
        try expectEnd()
    }

    /// Finds the top-level object's "type" wherever it is among the members, leaving the cursor
    /// where it was.
    private func peekTopLevelType() throws(GeoJSONError) -> String {
        var scanner = parser.scanner
        let objectOffset = scanner.index
        scanner.index += 1
        if !scanner.consume(.closeBrace) {
            repeat {
                _ = try scanner.expectMemberName()
                let (start, end, escaped) = try scanner.scanStringBounds()
                try scanner.expect(.colon, "':' after a member name")
                if !escaped && scanner.bytesEqual(start, end, "type") {
                    guard scanner.peekToken() == .quote else {
                        try scanner.requireValueStart()
                        break
                    }
                    return try scanner.scanString()
                }
                try scanner.skipValue(depth: 1)
            } while try scanner.nextMember()
        }
        throw .at(objectOffset, .missingType, "GeoJSON object has no string \"type\" member (RFC 7946 §3)")
    }

    /// Only whitespace may follow the top-level value (RFC 8259 §2).
    private func expectEnd() throws(GeoJSONError) {
        guard parser.scanner.peekToken() == nil else {
            throw .at(parser.scanner.index, .trailingContent, "unexpected \(parser.scanner.describeByte(at: parser.scanner.index)) after the end of the GeoJSON document")
        }
    }

    private func describe(_ byte: UInt8) -> String {
        byte == .openBracket ? "an array" : byte == .quote ? "a string" : "a \(parser.describeValue())"
    }

    /// Adds line and column to an error from its byte offset.
    private func located(_ error: GeoJSONError) -> GeoJSONError {
        var error = error
        if error.kind != .io {
            (error.line, error.column) = locator.locate(error.byteOffset, in: input.base, count: input.count)
        }
        return error
    }
}
