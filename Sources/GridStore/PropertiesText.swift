import GeoJSON

/// A feature's free properties as JSON text in one column, written and read by the GeoJSON
/// module's own writer and reader, so that a stored `JSONObject` comes back exactly: member
/// order, number lexemes (`3.0`, `12345678901234567890`) and nulls included.
///
/// The GeoJSON module has no public encoder for a bare object, so the object is written as the
/// `properties` of an otherwise empty Feature and cut out of it; reading wraps it the same way.
enum PropertiesText {
    private static let prefix = #"{"type":"Feature","geometry":null,"properties":"#
    private static let suffix = "}"

    /// The object as compact JSON text.
    static func encode(_ properties: JSONObject) throws -> String {
        let text = try GeoJSONWriter.string(Feature(geometry: nil, properties: properties))
        guard text.hasPrefix(prefix), text.hasSuffix(suffix) else {
            throw StoreError.corrupt("unexpected feature encoding: \(text.prefix(80))")
        }
        return String(text.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// The object the text holds; `place` names the row for the error ("features home-3").
    static func decode(_ text: String, place: String) throws(StoreError) -> JSONObject {
        let document: GeoJSONDocument
        do {
            document = try GeoJSONReader.read(string: prefix + text + suffix)
        } catch {
            throw .corrupt("\(place), column properties: \(error)")
        }
        guard case .feature(let feature) = document, let properties = feature.properties else {
            throw .corrupt("\(place), column properties: not a JSON object: \(text.prefix(80))")
        }
        return properties
    }
}
