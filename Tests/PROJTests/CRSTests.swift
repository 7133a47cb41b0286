import Testing
@testable import PROJ

@Suite("CRS")
struct CRSTests {
    @Test("an EPSG code gives the CRS with PROJ's name and kind")
    func epsgCodes() throws {
        let context = PROJContext()
        let wgs84 = try CRS("EPSG:4326", context: context)
        #expect(wgs84.name == "WGS 84")
        #expect(wgs84.isGeographic)
        #expect(wgs84.definition == "EPSG:4326")

        let gaussKruger = try CRS("EPSG:4549", context: context)
        #expect(gaussKruger.name == "CGCS2000 / 3-degree Gauss-Kruger CM 120E")
        #expect(!gaussKruger.isGeographic)
    }

    @Test("PROJ strings with +type=crs and WKT define CRSs, bound CRSs answer for their base")
    func otherDefinitions() throws {
        #expect(try CRS("+proj=longlat +datum=WGS84 +type=crs").isGeographic)
        #expect(try !CRS("+proj=utm +zone=50 +datum=WGS84 +type=crs").isGeographic)
        #expect(try CRS("+proj=longlat +ellps=intl +towgs84=-87,-98,-121 +type=crs").isGeographic)
        let wkt = """
            GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563]],\
            CS[ellipsoidal,2],AXIS["latitude",north,ANGLEUNIT["degree",0.0174532925199433]],\
            AXIS["longitude",east,ANGLEUNIT["degree",0.0174532925199433]]]
            """
        let fromWKT = try CRS(CRSDefinition(wkt))
        #expect(fromWKT.name == "WGS 84")
        #expect(fromWKT.isGeographic)
    }

    @Test("an unknown or malformed definition throws unknownCRS naming it with PROJ's message",
          arguments: ["EPSG:999999", "foo", "+proj=nonsense +type=crs", "GEOGCRS[\"broken\""])
    func unknownDefinitions(definition: CRSDefinition) {
        do {
            _ = try CRS(definition)
            Issue.record("\(definition) was accepted")
        } catch let PROJError.unknownCRS(named, message) {
            #expect(named == definition)
            #expect(!message.isEmpty)
            #expect(message != "PROJ gave no reason")
            #expect(PROJError.unknownCRS(definition: named, message: message).description.contains(definition.description))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("authority codes in other spellings are codes, not names to search for",
          arguments: ["urn:ogc:def:crs:EPSG::4549", " EPSG:4549 ", "epsg:4549"])
    func codeSpellings(definition: CRSDefinition) throws {
        #expect(try CRS(definition).name == "CGCS2000 / 3-degree Gauss-Kruger CM 120E")
    }

    @Test("a CRS name spelled exactly is accepted")
    func exactName() throws {
        let crs = try CRS("WGS 84")
        #expect(crs.name == "WGS 84")
        #expect(crs.isGeographic)
    }

    @Test("a name PROJ only matches approximately is rejected, naming PROJ's guess")
    func approximateName() {
        // proj_create("foo") would return "Amersfoort".
        expectRefused("foo", naming: "\"foo\"", "Amersfoort")
    }

    @Test("EPSG:999999 is reported as not found")
    func missingCodeMessage() {
        expectRefused("EPSG:999999", naming: "EPSG:999999", "not found")
    }

    /// Expects `CRS(definition)` to throw an error whose text contains every one of `parts`.
    private func expectRefused(_ definition: CRSDefinition, naming parts: String...,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try CRS(definition)
        } throws: { error in
            parts.allSatisfy { "\(error)".contains($0) }
        }
    }

    @Test("a coordinate operation is rejected as not a CRS")
    func operationIsNotACRS() {
        #expect(throws: PROJError.notACRS(definition: "+proj=utm +zone=50", kind: "a coordinate operation")) {
            _ = try CRS("+proj=utm +zone=50")
        }
    }
}

@Suite("CRS definitions as typed values")
struct CRSDefinitionTests {
    @Test("the text is kept exactly as given: literals, strings and descriptions agree")
    func keepsText() {
        let typed: CRSDefinition = " epsg:4549 "
        #expect(typed.description == " epsg:4549 ")
        #expect(CRSDefinition(" epsg:4549 ") == typed)
        #expect(typed != "EPSG:4549")
        #expect(CRSDefinition.wgs84.description == "EPSG:4326")
    }

    @Test("the usual spellings of WGS84 longitude/latitude are WGS84; other CRSs are not",
          arguments: ["EPSG:4326", "epsg:4326", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326",
                      "http://www.opengis.net/def/crs/EPSG/0/4326", "CRS84"])
    func wgs84Spellings(definition: CRSDefinition) {
        #expect(definition.isWGS84)
    }

    @Test("CGCS2000 and the working CRS are not WGS84 spellings", arguments: ["EPSG:4490", "EPSG:4549", "EPSG:43260"])
    func notWGS84(definition: CRSDefinition) {
        #expect(!definition.isWGS84)
    }
}

@Suite("CRS units")
struct CRSUnitTests {
    @Test("a projected CRS knows its unit in metres; a geographic or geocentric one has none")
    func metresPerProjectedUnit() throws {
        #expect(try CRS("EPSG:4549").metresPerProjectedUnit == 1)
        #expect(try CRS("EPSG:32650").metresPerProjectedUnit == 1)
        let feet = try #require(try CRS("EPSG:2263").metresPerProjectedUnit)
        #expect(abs(feet - 1200.0 / 3937) < 1e-12)  // the US survey foot
        #expect(try CRS(.wgs84).metresPerProjectedUnit == nil)
        #expect(try CRS("EPSG:4978").metresPerProjectedUnit == nil)
        // A compound CRS answers for its horizontal part.
        #expect(try CRS("EPSG:4549+5737").metresPerProjectedUnit == 1)
    }
}
