import GeoJSON

/// A bare JSON object as text and back, through the GeoJSON module's own writer and reader, so
/// that it comes back exactly: member order, number lexemes (`3.0`, `12345678901234567890`) and
/// nulls included. Used for a town manifest's members GridMap does not read and for the free
/// properties the store keeps in one column.
///
/// The GeoJSON module has no public codec for a bare object, so the object is written as the
/// `properties` of an otherwise empty Feature and cut out of it; reading wraps it the same way.
public enum JSONObjectText {
    private static let prefix = #"{"type":"Feature","geometry":null,"properties":"#
    private static let suffix = "}"

    /// The object as compact JSON text; nil only if the writer's output does not have the
    /// wrapper's shape (a broken invariant, reported by the caller).
    public static func encode(_ object: JSONObject) throws(GeoJSONError) -> String? {
        let text = try GeoJSONWriter.string(Feature(geometry: nil, properties: object))
        guard text.hasPrefix(prefix), text.hasSuffix(suffix) else { return nil }
        return String(text.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// The object `text` holds; nil when it is JSON but not an object (`null`, an array, a number).
    /// - Throws: the reader's error when `text` is not JSON.
    public static func decode(_ text: String) throws(GeoJSONError) -> JSONObject? {
        guard case .feature(let feature) = try GeoJSONReader.read(string: prefix + text + suffix) else { return nil }
        return feature.properties
    }
}
