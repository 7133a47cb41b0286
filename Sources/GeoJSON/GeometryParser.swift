/// Reads geometry objects (RFC 7946 §3.1) straight from bytes into `Geometry`, checking each
/// rule of §3.1 as it goes.
struct GeometryParser {
    var scanner: JSONScanner
    let options: GeoJSONReaderOptions

    /// The seven geometry types of RFC 7946 §1.4.
    enum GeometryType: String {
        case point = "Point", multiPoint = "MultiPoint", lineString = "LineString"
        case multiLineString = "MultiLineString", polygon = "Polygon", multiPolygon = "MultiPolygon"
        case geometryCollection = "GeometryCollection"
    }

    /// Reads the geometry object at the cursor. GeoJSON members may come in any order, so when
    /// "coordinates" precede "type" they are skipped and read again once the type is known.
    mutating func parseGeometry(depth: Int = 0) throws(GeoJSONError) -> Geometry {
        guard depth < JSONScanner.maximumDepth else { throw scanner.tooDeep() }
        let objectOffset = try expectObject("a geometry object")
        var type: GeometryType?
        var geometry: Geometry?
        // Offsets of "coordinates" / "geometries" values read before "type" told us how.
        var coordinatesOffset: Int?
        var geometriesOffset: Int?
        var bbox: [Double]?
        var bboxOffset: Int?
        if !scanner.consume(.closeBrace) {
            repeat {
                let keyOffset = try scanner.expectMemberName()
                let (start, end, escaped) = try scanner.scanStringBounds()
                try scanner.expect(.colon, "':' after a member name")
                let isCoordinates = !escaped && scanner.bytesEqual(start, end, "coordinates")
                let isGeometries = !escaped && scanner.bytesEqual(start, end, "geometries")
                if !escaped && scanner.bytesEqual(start, end, "type") {
                    guard type == nil else { throw duplicate("type", keyOffset) }
                    type = try scanGeometryType()
                } else if isCoordinates || isGeometries {
                    guard (isCoordinates ? coordinatesOffset : geometriesOffset) == nil else {
                        throw duplicate(isCoordinates ? "coordinates" : "geometries", keyOffset)
                    }
                    if isCoordinates { coordinatesOffset = scanner.index } else { geometriesOffset = scanner.index }
                    if let type, (type == .geometryCollection) == isGeometries {
                        geometry = try parseBody(of: type, depth: depth)
                    } else {
                        try scanner.skipValue(depth: depth + 1)
                    }
                } else if !escaped && scanner.bytesEqual(start, end, "bbox") {
                    guard bboxOffset == nil else { throw duplicate("bbox", keyOffset) }
                    bboxOffset = scanner.index
                    bbox = try parseBBox()
                } else if !escaped && (scanner.bytesEqual(start, end, "geometry") || scanner.bytesEqual(start, end, "properties")
                    || scanner.bytesEqual(start, end, "features")) {
                    throw Self.redefinedMember(scanner.text(start, end), on: "a geometry object", at: keyOffset)
                } else {
                    try scanner.skipValue(depth: depth + 1)
                }
            } while try scanner.nextMember()
        }
        guard let type else {
            throw .at(objectOffset, .missingType, "geometry has no \"type\" member (RFC 7946 §3.1)")
        }
        let result: Geometry
        if let geometry {
            result = geometry
        } else {
            let isCollection = type == .geometryCollection
            guard let bodyOffset = isCollection ? geometriesOffset : coordinatesOffset else {
                let bodyKey = isCollection ? "geometries" : "coordinates"
                throw .at(objectOffset, .missingCoordinates, "\(type.rawValue) has no \"\(bodyKey)\" member (RFC 7946 §3.1)")
            }
            // The body came before "type": read it again now that the type is known.
            let end = scanner.index
            scanner.index = bodyOffset
            defer { scanner.index = end }
            result = try parseBody(of: type, depth: depth)
        }
        if let bbox, let bboxOffset { try checkBBox(bbox, matches: result, at: bboxOffset) }
        return result
    }

    /// Reads the value of "type" inside a geometry object.
    private mutating func scanGeometryType() throws(GeoJSONError) -> GeometryType {
        let offset = scanner.index
        guard scanner.peekToken() == .quote else {
            try scanner.skipValue()
            throw .at(offset, .missingType, "\"type\" must be a string naming a geometry type")
        }
        let name = try scanner.scanString()
        guard let type = GeometryType(rawValue: name) else {
            throw GeoJSONError.at(offset, .unknownGeometryType, "unknown geometry type \"\(name)\" (RFC 7946 §1.4 allows Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon, GeometryCollection)").inside(key: "type")
        }
        return type
    }

    /// Reads "coordinates" (or "geometries" for a collection) for a geometry of `type`.
    private mutating func parseBody(of type: GeometryType, depth: Int) throws(GeoJSONError) -> Geometry {
        do throws(GeoJSONError) {
            switch type {
            case .point: return .point(try parsePosition())
            case .multiPoint: return .multiPoint(try parsePositions())
            case .lineString: return .lineString(try parseLineString())
            case .multiLineString:
                var lines: [[Position]] = []
                try forEachElement("an array of line strings") { (parser: inout Self) throws(GeoJSONError) in
                    lines.append(try parser.parseLineString())
                }
                return .multiLineString(lines)
            case .polygon: return .polygon(try parsePolygon())
            case .multiPolygon:
                var polygons: [[[Position]]] = []
                try forEachElement("an array of polygons") { (parser: inout Self) throws(GeoJSONError) in
                    polygons.append(try parser.parsePolygon())
                }
                return .multiPolygon(polygons)
            case .geometryCollection:
                var geometries: [Geometry] = []
                try forEachElement("an array of geometry objects") { (parser: inout Self) throws(GeoJSONError) in
                    geometries.append(try parser.parseGeometry(depth: depth + 1))
                }
                return .geometryCollection(geometries)
            }
        } catch {
            throw error.inside(key: type == .geometryCollection ? "geometries" : "coordinates")
        }
    }

    /// §3.1.6: an array of linear rings.
    private mutating func parsePolygon() throws(GeoJSONError) -> [[Position]] {
        var rings: [[Position]] = []
        try forEachElement("an array of linear rings") { (parser: inout Self) throws(GeoJSONError) in
            rings.append(try parser.parseRing())
        }
        return rings
    }

    /// §3.1.6: a linear ring is closed (first and last positions equal) with four or more positions.
    private mutating func parseRing() throws(GeoJSONError) -> [Position] {
        scanner.skipWhitespace()
        let offset = scanner.index
        let ring = try parsePositions()
        guard ring.count >= 4 else {
            throw .at(offset, .ringTooShort, "linear ring has \(ring.count) positions; RFC 7946 §3.1.6 requires 4 or more")
        }
        guard ring[0] == ring[ring.count - 1] else {
            throw .at(offset, .ringNotClosed, "linear ring does not close: first position \(ring[0]) differs from last \(ring[ring.count - 1]) (RFC 7946 §3.1.6)")
        }
        return ring
    }

    /// §3.1.4: two or more positions.
    private mutating func parseLineString() throws(GeoJSONError) -> [Position] {
        scanner.skipWhitespace()
        let offset = scanner.index
        let line = try parsePositions()
        guard line.count >= 2 else {
            throw .at(offset, .lineStringTooShort, "line string has \(line.count) position\(line.count == 1 ? "" : "s"); RFC 7946 §3.1.4 requires 2 or more")
        }
        return line
    }

    private mutating func parsePositions() throws(GeoJSONError) -> [Position] {
        var positions: [Position] = []
        try forEachElement("an array of positions") { (parser: inout Self) throws(GeoJSONError) in
            positions.append(try parser.parsePosition())
        }
        return positions
    }

    /// §3.1.1: an array of two or more numbers; a third is the altitude, further ones are dropped.
    mutating func parsePosition() throws(GeoJSONError) -> Position {
        scanner.skipWhitespace()
        let offset = scanner.index
        guard scanner.peekToken() == .openBracket else {
            try scanner.requireValueStart()
            throw wrongDepth(expected: "a position [x, y]")
        }
        scanner.index += 1
        var values = (0.0, 0.0, 0.0)
        var count = 0
        if !scanner.consume(.closeBracket) {
            repeat {
                guard let first = scanner.peekToken(), first == .minus || first &- .zero < 10 else {
                    try scanner.requireValueStart()
                    let found = scanner.peekToken() == .openBracket ? wrongDepth(expected: "a number") : nonNumeric()
                    throw found.inside(index: count)
                }
                let numberOffset = scanner.index
                let token = try scanner.scanNumber()
                let value = scanner.doubleValue(of: token)
                guard value.isFinite else {
                    throw GeoJSONError.at(numberOffset, .nonFiniteCoordinate, "coordinate \(scanner.text(of: token)) is not a finite double").inside(index: count)
                }
                switch count {
                case 0: values.0 = value
                case 1: values.1 = value
                case 2: values.2 = value
                default: break
                }
                count += 1
            } while try scanner.nextElement()
        }
        guard count >= 2 else {
            throw .at(offset, .positionTooShort, "position has \(count) number\(count == 1 ? "" : "s"); RFC 7946 §3.1.1 requires 2 or more")
        }
        if options.checksLongitudeLatitudeRange {
            guard values.0 >= -180 && values.0 <= 180 else {
                throw GeoJSONError.at(offset, .coordinateOutOfRange, "longitude \(values.0) is outside [-180, 180] (RFC 7946 §4; turn off checksLongitudeLatitudeRange for projected input)").inside(index: 0)
            }
            guard values.1 >= -90 && values.1 <= 90 else {
                throw GeoJSONError.at(offset, .coordinateOutOfRange, "latitude \(values.1) is outside [-90, 90] (RFC 7946 §4; turn off checksLongitudeLatitudeRange for projected input)").inside(index: 1)
            }
        }
        return Position(x: values.0, y: values.1, z: count >= 3 ? values.2 : nil)
    }

    /// Runs `element` for each element of the array at the cursor, adding the element's index to
    /// the path of any error it throws. A number where the array should be is a nesting error.
    @inline(__always)
    private mutating func forEachElement(
        _ expected: String, _ element: (inout Self) throws(GeoJSONError) -> Void
    ) throws(GeoJSONError) {
        guard scanner.peekToken() == .openBracket else {
            try scanner.requireValueStart()
            throw wrongDepth(expected: expected)
        }
        scanner.index += 1
        if scanner.consume(.closeBracket) { return }
        var index = 0
        repeat {
            do throws(GeoJSONError) { try element(&self) } catch { throw error.inside(index: index) }
            index += 1
        } while try scanner.nextElement()
    }

    /// The value at the cursor is not the array `expected` at this depth of nesting.
    private mutating func wrongDepth(expected: String) -> GeoJSONError {
        let found = describeValue()
        return .at(scanner.index, .wrongNestingDepth, "wrong nesting depth: expected \(expected), found \(found)")
    }

    private mutating func nonNumeric() -> GeoJSONError {
        .at(scanner.index, .nonNumericCoordinate, "coordinate must be a number, found \(describeValue())")
    }

    /// "a number", "an array", "a string", … for the value at the cursor.
    mutating func describeValue() -> String {
        switch scanner.peekToken() {
        case .openBracket: "an array"
        case .openBrace: "an object"
        case .quote: "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case nil: "end of input"
        default: "a number"
        }
    }

    /// Checks that an object starts at the cursor, consumes its '{' and returns its offset.
    mutating func expectObject(_ what: String) throws(GeoJSONError) -> Int {
        guard scanner.peekToken() == .openBrace else {
            try scanner.requireValueStart()
            throw .at(scanner.index, .wrongType, "expected \(what), found \(describeValue())")
        }
        let start = scanner.index
        scanner.index += 1
        return start
    }

    private func duplicate(_ key: String, _ offset: Int) -> GeoJSONError {
        .at(offset, .invalidMember, "duplicate member \"\(key)\"")
    }
}
