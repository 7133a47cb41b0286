/// A problem in GeoJSON input (or an I/O failure reading or writing it), saying what and where.
///
/// `description` reads like
/// `feature 12, geometry.coordinates[0][3] (line 5, column 17): ring does not close: …`.
public struct GeoJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is; tests and callers branch on it, people read `message`.
    public enum Kind: String, Sendable, Hashable {
        // Fatal: the text cannot be read further.
        case emptyInput
        case invalidJSON
        case trailingContent
        case io
        // Semantic: the JSON is well formed but not valid GeoJSON; reading can go on.
        case missingType
        case wrongType
        case unknownGeometryType
        case missingCoordinates
        case wrongNestingDepth
        case ringNotClosed
        case ringTooShort
        case lineStringTooShort
        case positionTooShort
        case nonNumericCoordinate
        case nonFiniteCoordinate
        case coordinateOutOfRange
        case missingGeometry
        case invalidProperties
        case invalidMember
        case unsupportedValue
    }

    public var kind: Kind
    /// Zero-based index of the feature in its FeatureCollection, when the problem is inside one.
    public var featureIndex: Int?
    /// The id of the feature that was refused, when the rest of it could be read as JSON and it
    /// has one (a string or a number).
    public var featureID: FeatureID?
    /// Where inside the feature (or document) the problem is, e.g. `geometry.coordinates[0][3]`;
    /// empty for the object itself.
    public var path: String
    /// One-based line of the offending text (0 when there is no text, e.g. an I/O error).
    public var line: Int
    /// One-based column in Unicode scalars (not bytes) within that line.
    public var column: Int
    /// Byte offset of the offending text from the start of the input.
    public var byteOffset: Int
    public var message: String

    public init(
        kind: Kind, message: String, path: String = "", featureIndex: Int? = nil, line: Int = 0,
        column: Int = 0, byteOffset: Int = 0
    ) {
        self.kind = kind
        self.message = message
        self.path = path
        self.featureIndex = featureIndex
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// True when reading cannot continue past this error (broken JSON, I/O); false for a feature
    /// that is well-formed JSON but bad GeoJSON, which a streaming reader skips.
    public var isFatal: Bool {
        switch kind {
        case .emptyInput, .invalidJSON, .trailingContent, .io: true
        default: false
        }
    }

    public var description: String {
        var place: [String] = []
        if let featureIndex { place.append("feature \(featureIndex)") }
        if !path.isEmpty { place.append(path) }
        var text = place.joined(separator: ", ")
        if line > 0 { text += text.isEmpty ? "line \(line), column \(column)" : " (line \(line), column \(column))" }
        return text.isEmpty ? message : "\(text): \(message)"
    }

    /// Internal constructor used by the parser: the location is a byte offset, turned into
    /// line and column by the reader that owns the bytes.
    static func at(_ offset: Int, _ kind: Kind, _ message: String) -> GeoJSONError {
        GeoJSONError(kind: kind, message: message, byteOffset: offset)
    }

    /// The same error seen from one level further out: `key` is the member that contained it.
    func inside(key: String) -> GeoJSONError {
        var copy = self
        if path.isEmpty {
            copy.path = key
        } else if path.hasPrefix("[") {
            copy.path = key + path
        } else {
            copy.path = key + "." + path
        }
        return copy
    }

    /// The same error seen from one level further out: `index` is the array element that contained it.
    func inside(index: Int) -> GeoJSONError {
        var copy = self
        copy.path = path.isEmpty || path.hasPrefix("[") ? "[\(index)]" + path : "[\(index)]." + path
        return copy
    }
}
