import GeoJSON
import GridMapCore

/// A feature's free properties (and the town's other manifest members) as JSON text in one
/// column, through ``JSONObjectText``, so that a stored `JSONObject` comes back exactly.
enum PropertiesText {
    /// The object as compact JSON text.
    static func encode(_ properties: JSONObject) throws -> String {
        guard let text = try JSONObjectText.encode(properties) else {
            throw StoreError.corrupt("unexpected feature encoding of \(properties.orderedKeys.prefix(5))")
        }
        return text
    }

    /// The object the text holds; `place` names the row for the error ("features home-3"),
    /// `column` its column.
    static func decode(_ text: String, place: String, column: String = "properties") throws(StoreError) -> JSONObject {
        let object: JSONObject?
        do {
            object = try JSONObjectText.decode(text)
        } catch {
            throw .corrupt("\(place), column \(column): \(error)")
        }
        guard let object else { throw .corrupt("\(place), column \(column): not a JSON object: \(text.prefix(80))") }
        return object
    }
}
