/// Reads Feature objects (RFC 7946 §3.2) and the members shared by Features and
/// FeatureCollections (bbox §5, foreign members §6.1).
extension GeometryParser {
    /// Reads the Feature object at the cursor.
    mutating func parseFeature() throws(GeoJSONError) -> Feature {
        let objectOffset = try expectObject("a Feature object")
        var sawType = false
        var sawGeometry = false
        var sawProperties = false
        var feature = Feature(geometry: nil, properties: nil)
        var bboxOffset = 0
        if !scanner.consume(.closeBrace) {
            repeat {
                let keyOffset = try scanner.expectMemberName()
                let (start, end, escaped) = try scanner.scanStringBounds()
                try scanner.expect(.colon, "':' after a member name")
                func isKey(_ name: StaticString) -> Bool { !escaped && scanner.bytesEqual(start, end, name) }
                if isKey("type") {
                    try checkFirst(sawType, "type", keyOffset)
                    sawType = true
                    try expectTypeName("Feature")
                } else if isKey("geometry") {
                    try checkFirst(sawGeometry, "geometry", keyOffset)
                    sawGeometry = true
                    if scanner.peekToken() == UInt8(ascii: "n") {
                        try scanner.scanLiteral("null")
                    } else {
                        do throws(GeoJSONError) {
                            feature.geometry = try parseGeometry()
                        } catch {
                            throw error.inside(key: "geometry")
                        }
                    }
                } else if isKey("properties") {
                    try checkFirst(sawProperties, "properties", keyOffset)
                    sawProperties = true
                    switch scanner.peekToken() {
                    case .openBrace: feature.properties = try scanner.scanObject(depth: 1)
                    case UInt8(ascii: "n"): try scanner.scanLiteral("null")
                    default:
                        try scanner.requireValueStart()
                        throw GeoJSONError.at(scanner.index, .invalidProperties, "properties must be an object or null, found \(describeValue()) (RFC 7946 §3.2)").inside(key: "properties")
                    }
                } else if isKey("id") {
                    try checkFirst(feature.id != nil, "id", keyOffset)
                    feature.id = try parseFeatureID()
                } else if isKey("bbox") {
                    try checkFirst(feature.bbox != nil, "bbox", keyOffset)
                    bboxOffset = scanner.index
                    feature.bbox = try parseBBox()
                } else if isKey("coordinates") || isKey("geometries") || isKey("features") {
                    throw Self.redefinedMember(scanner.text(start, end), on: "a Feature", at: keyOffset)
                } else {
                    scanner.index = keyOffset
                    let key = try scanner.scanString()
                    try scanner.expect(.colon, "':' after a member name")
                    try checkFirst(feature.foreignMembers[key] != nil, key, keyOffset)
                    feature.foreignMembers.appendUnchecked(key: key, value: try scanner.scanValue(depth: 1))
                }
            } while try scanner.nextMember()
        }
        guard sawType else { throw .at(objectOffset, .missingType, "Feature has no \"type\" member (RFC 7946 §3.2)") }
        guard sawGeometry else {
            throw .at(objectOffset, .missingGeometry, "Feature has no \"geometry\" member; use \"geometry\": null for an unlocated feature (RFC 7946 §3.2)")
        }
        guard sawProperties else {
            throw .at(objectOffset, .invalidProperties, "Feature has no \"properties\" member; use \"properties\": null (RFC 7946 §3.2)")
        }
        if let bbox = feature.bbox, let geometry = feature.geometry {
            try checkBBox(bbox, matches: geometry, at: bboxOffset)
        }
        return feature
    }

    /// §3.2: "id" is a string or a number.
    private mutating func parseFeatureID() throws(GeoJSONError) -> FeatureID {
        switch scanner.peekToken() {
        case .quote: return .string(try scanner.scanString())
        case .some(let byte) where byte == .minus || byte &- .zero < 10:
            return .number(JSONNumber(validatedText: scanner.text(of: try scanner.scanNumber())))
        default:
            try scanner.requireValueStart()
            throw GeoJSONError.at(scanner.index, .invalidMember, "id must be a string or a number, found \(describeValue()) (RFC 7946 §3.2)").inside(key: "id")
        }
    }

    /// §5: "bbox" is an array of 2×n finite numbers (4 for 2D, 6 for 3D): the lowest values on
    /// every axis, then the highest. West may exceed east (a box across the antimeridian), but
    /// south may not exceed north, nor the lowest elevation the highest.
    mutating func parseBBox() throws(GeoJSONError) -> [Double] {
        let offset = scanner.index
        let value = try scanner.scanValue(depth: 1)
        let numbers = value.arrayValue?.compactMap(\.doubleValue) ?? []
        guard let array = value.arrayValue, numbers.count == array.count, numbers.count == 4 || numbers.count == 6,
            numbers.allSatisfy(\.isFinite)
        else {
            throw GeoJSONError.at(offset, .invalidMember, "bbox must be an array of 4 or 6 finite numbers (RFC 7946 §5)").inside(key: "bbox")
        }
        let dimensions = numbers.count / 2
        guard numbers[1] <= numbers[1 + dimensions] else {
            throw GeoJSONError.at(offset, .invalidMember, "bbox has south \(numbers[1]) above north \(numbers[1 + dimensions]) (RFC 7946 §5)").inside(key: "bbox")
        }
        guard dimensions == 2 || numbers[2] <= numbers[5] else {
            throw GeoJSONError.at(offset, .invalidMember, "bbox has its lowest elevation \(numbers[2]) above its highest \(numbers[5]) (RFC 7946 §5)").inside(key: "bbox")
        }
        return numbers
    }

    /// §5: a bbox has 2×n numbers, n the dimension of the geometry's positions (3 when any has
    /// an elevation).
    func checkBBox(_ bbox: [Double], matches geometry: Geometry, at offset: Int) throws(GeoJSONError) {
        let dimensions = geometry.hasElevation ? 3 : 2
        guard bbox.count == 2 * dimensions else {
            throw GeoJSONError.at(offset, .invalidMember, "bbox has \(bbox.count) numbers, but the geometry's positions have \(dimensions) dimensions, so it needs \(2 * dimensions) (RFC 7946 §5)").inside(key: "bbox")
        }
    }

    /// §7.1: a member that defines another kind of GeoJSON object ("coordinates" on a Feature,
    /// "properties" on a geometry, …) must not appear, because its meaning would change.
    static func redefinedMember(_ key: String, on object: String, at offset: Int) -> GeoJSONError {
        .at(offset, .invalidMember, "\(object) must not have a \"\(key)\" member: it belongs to another kind of GeoJSON object (RFC 7946 §7.1)")
    }

    /// Reads the value of a "type" member and checks that it is `expected`.
    mutating func expectTypeName(_ expected: String) throws(GeoJSONError) {
        let offset = scanner.index
        guard scanner.peekToken() == .quote else {
            try scanner.requireValueStart()
            throw GeoJSONError.at(offset, .missingType, "\"type\" must be the string \"\(expected)\", found \(describeValue())").inside(key: "type")
        }
        let name = try scanner.scanString()
        guard name == expected else {
            throw GeoJSONError.at(offset, .wrongType, "expected type \"\(expected)\", found \"\(name)\"").inside(key: "type")
        }
    }

    /// Throws a duplicate-member error when `alreadySeen`.
    func checkFirst(_ alreadySeen: Bool, _ key: String, _ offset: Int) throws(GeoJSONError) {
        if alreadySeen { throw .at(offset, .invalidMember, "duplicate member \"\(key)\"") }
    }
}
