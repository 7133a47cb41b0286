/// GeoJSON objects (RFC 7946 §3) as compact JSON text, members in a fixed order so the same
/// value always gives the same bytes: "type" first, then "id"/"bbox", then the geometry
/// members, then properties, then foreign members in their own order.
extension OutputBuffer {
    /// Member names a Feature's foreign members may not reuse (they would duplicate ours).
    static let featureReservedKeys: Set<String> = ["type", "id", "bbox", "geometry", "properties"]
    /// Member names a FeatureCollection's foreign members may not reuse.
    static let collectionReservedKeys: Set<String> = ["type", "bbox", "features"]

    func append(geometry: Geometry, options: GeoJSONWriterOptions) throws(GeoJSONError) {
        let precision = options.coordinatePrecision
        switch geometry {
        case .point(let position):
            append("{\"type\":\"Point\",\"coordinates\":")
            try append(position: position, precision: precision)
        case .multiPoint(let positions):
            append("{\"type\":\"MultiPoint\",\"coordinates\":")
            try append(positions: positions, precision: precision)
        case .lineString(let positions):
            append("{\"type\":\"LineString\",\"coordinates\":")
            try append(positions: positions, precision: precision)
        case .multiLineString(let lines):
            append("{\"type\":\"MultiLineString\",\"coordinates\":")
            try append(array: lines) { _, line throws(GeoJSONError) in try append(positions: line, precision: precision) }
        case .polygon(let rings):
            append("{\"type\":\"Polygon\",\"coordinates\":")
            try append(polygon: rings, options: options)
        case .multiPolygon(let polygons):
            append("{\"type\":\"MultiPolygon\",\"coordinates\":")
            try append(array: polygons) { _, rings throws(GeoJSONError) in try append(polygon: rings, options: options) }
        case .geometryCollection(let geometries):
            append("{\"type\":\"GeometryCollection\",\"geometries\":")
            try append(array: geometries) { _, member throws(GeoJSONError) in try append(geometry: member, options: options) }
        }
        append(.closeBrace)
    }

    /// A polygon's rings, exterior counter-clockwise and holes clockwise (§3.1.6) when
    /// `correctsWinding` is on.
    private func append(polygon rings: [[Position]], options: GeoJSONWriterOptions) throws(GeoJSONError) {
        try append(array: rings) { index, ring throws(GeoJSONError) in
            let reversed = options.correctsWinding && RingOrientation.needsReversal(ring, isExterior: index == 0)
            try append(positions: ring, reversed: reversed, precision: options.coordinatePrecision)
        }
    }

    func append(feature: Feature, options: GeoJSONWriterOptions) throws(GeoJSONError) {
        append("{\"type\":\"Feature\"")
        switch feature.id {
        case .string(let id)?:
            append(",\"id\":")
            append(quoted: id)
        case .number(let id)?:
            append(",\"id\":")
            appendUnescaped(id.text)
        case nil: break
        }
        if let bbox = feature.bbox { try append(bbox: bbox) }
        append(",\"geometry\":")
        if let geometry = feature.geometry {
            try append(geometry: geometry, options: options)
        } else {
            append("null")
        }
        append(",\"properties\":")
        if let properties = feature.properties {
            append(object: properties)
        } else {
            append("null")
        }
        appendMembers(feature.foreignMembers, skipping: Self.featureReservedKeys)
        append(.closeBrace)
    }

    /// `,"bbox":[…]` with every number at full precision, so rounding never shrinks the box.
    func append(bbox: [Double]) throws(GeoJSONError) {
        append(",\"bbox\":")
        try append(array: bbox) { _, value throws(GeoJSONError) in try append(coordinate: value, precision: nil) }
    }

    /// Everything of a FeatureCollection up to and including `"features":[`.
    func appendCollectionHeader(bbox: [Double]?, foreignMembers: JSONObject) throws(GeoJSONError) {
        append("{\"type\":\"FeatureCollection\"")
        if let bbox { try append(bbox: bbox) }
        appendMembers(foreignMembers, skipping: Self.collectionReservedKeys)
        append(",\"features\":[")
    }
}
