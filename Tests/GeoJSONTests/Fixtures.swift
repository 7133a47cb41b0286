import SeededRandom
@testable import GeoJSON

/// Small GeoJSON texts shared by the tests.
enum Fixtures {
    /// A FeatureCollection whose only feature is `feature` (JSON text).
    static func collection(_ features: String...) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[" + features.joined(separator: ",") + "]}"
    }

    /// A feature with the given geometry text and empty properties.
    static func feature(geometry: String) -> String {
        "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":{}}"
    }

    static func point(_ x: Double, _ y: Double) -> String {
        feature(geometry: "{\"type\":\"Point\",\"coordinates\":[\(x),\(y)]}")
    }

    /// The first error reading `text`, which must fail.
    static func error(reading text: String, options: GeoJSONReaderOptions = .init()) -> GeoJSONError? {
        do {
            _ = try GeoJSONReader.read(string: text, options: options)
            return nil
        } catch {
            return error
        }
    }

    /// The unit square, counter-clockwise, closed.
    static let square: [Position] = [
        Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1), Position(x: 0, y: 0),
    ]
}

