import GeoJSON
import GridMapCore

/// Exports built on ``TownStore/layerFeatures(_:in:as:)``, so every store implementation gets them.
extension TownStore {
    /// Writes one layer as an RFC 7946 FeatureCollection (WGS84; by default 7 decimals, about
    /// 1 cm, and polygon exteriors counter-clockwise, which the writer enforces), with the
    /// layer's name as the collection's `name` member. Returns the number of features written.
    @discardableResult
    public func exportLayer(_ layer: StoreLayer, in area: AreaFilter? = nil, as role: ResidentRole = .public,
                            to sink: any GeoJSONSink, options: GeoJSONWriterOptions = .init()) throws -> Int {
        let features = try layerFeatures(layer, in: area, as: role)
        let writer = GeoJSONWriter(sink: sink, options: options)
        try writer.beginCollection(foreignMembers: ["name": .string(layer.name)])
        for feature in features { try writer.write(feature) }
        try writer.finish()
        return writer.featureCount
    }

    /// Residents as GeoJSON Points at their homes, masked for `role` (public by default).
    public func exportResidents(as role: ResidentRole = .public, in area: AreaFilter? = nil) throws -> [Feature] {
        try layerFeatures(.residents, in: area, as: role)
    }
}
