import GeoJSON
import GridMapCore

/// Exports built on ``TownStore/layerFeatures(_:in:people:)``, so every store implementation gets them.
extension TownStore {
    /// Writes one layer as an RFC 7946 FeatureCollection (WGS84; by default 7 decimals, about
    /// 1 cm, and polygon exteriors counter-clockwise, which the writer enforces), with the
    /// layer's name as the collection's `name` member. Returns the number of features written.
    /// The layer is read whole before the first byte is written, so a store failure leaves the
    /// sink untouched.
    @discardableResult
    public func exportLayer(_ layer: StoreLayer, in area: AreaFilter? = nil, people: PersonFilter,
                            to sink: any GeoJSONSink, options: GeoJSONWriterOptions = .init()) throws(ExportError) -> Int {
        let features: [Feature]
        do {
            features = try layerFeatures(layer, in: area, people: people)
        } catch {
            throw .store(error)
        }
        do {
            let writer = GeoJSONWriter(sink: sink, options: options)
            try writer.beginCollection(foreignMembers: ["name": .string(layer.name)])
            for feature in features { try writer.write(feature) }
            try writer.finish()
            return writer.featureCount
        } catch {
            throw .output(error)
        }
    }
}
