/// A failure to read a vector source through GDAL, naming where: the file, and the layer and
/// feature when there is one, with GDAL's own words.
public struct GDALError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// GDAL cannot open the file as a vector source (no driver recognises it, or it cannot be read).
        case cannotOpen
        /// A layer or feature could not be read to the end.
        case cannotRead
        /// A layer's spatial reference system cannot be written as a definition PROJ can take.
        case unknownCRS
    }

    public var kind: Kind
    public var file: String
    public var layer: String?
    /// The feature id (FID) GDAL gives the feature in its layer.
    public var feature: Int64?
    public var message: String

    public init(_ kind: Kind, file: String, layer: String? = nil, feature: Int64? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.layer = layer
        self.feature = feature
        self.message = message
    }

    public var description: String {
        var place = file
        if let layer { place += ", layer \(layer)" }
        if let feature { place += ", feature \(feature)" }
        return "\(place): \(message)"
    }
}
