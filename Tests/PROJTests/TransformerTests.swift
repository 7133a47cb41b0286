import Foundation
import Testing
@testable import PROJ

@Suite("Transformer, single points")
struct TransformerTests {
    @Test("WGS84 lon/lat to CGCS2000 Gauss-Kruger CM 120E matches cs2cs to the millimetre")
    func knownAnswersGaussKruger() throws {
        try expectKnownAnswers(to: "EPSG:4549", ReferenceAnswers.toCGCS2000GK120)
    }

    @Test("WGS84 lon/lat to UTM 50N matches cs2cs to the millimetre")
    func knownAnswersUTM() throws {
        try expectKnownAnswers(to: "EPSG:32650", ReferenceAnswers.toUTM50N)
    }

    /// Each answer's lon/lat, projected from WGS84 to `target`, lands within 1 mm of cs2cs's.
    private func expectKnownAnswers(to target: CRSDefinition, _ answers: [KnownAnswer],
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let transformer = try Transformer(from: "EPSG:4326", to: target)
        for answer in answers {
            let (easting, northing) = try transformer.forward(x: answer.lon, y: answer.lat)
            #expect(abs(easting - answer.easting) < 0.001, "easting at \(answer.lon), \(answer.lat)", sourceLocation: sourceLocation)
            #expect(abs(northing - answer.northing) < 0.001, "northing at \(answer.lon), \(answer.lat)", sourceLocation: sourceLocation)
        }
    }

    @Test("inverse returns the original lon/lat within 1e-9 degrees", arguments: ["EPSG:4549", "EPSG:32650"])
    func roundTrip(target: CRSDefinition) throws {
        let transformer = try Transformer(from: "EPSG:4326", to: target)
        let (lon, lat) = pointsAroundDacun(count: 200, seed: 7)
        for (x, y) in zip(lon, lat) {
            let projected = try transformer.forward(x: x, y: y)
            let back = try transformer.inverse(x: projected.x, y: projected.y)
            #expect(abs(back.x - x) < 1e-9 && abs(back.y - y) < 1e-9, "round trip of \(x), \(y)")
        }
    }

    @Test("axis order is normalised: geographic input is (lon, lat) whatever the CRS declares")
    func axisOrderNormalised() throws {
        // EPSG:4326 declares latitude first; "+proj=longlat" declares longitude first.
        let fromEPSG = try Transformer(from: "EPSG:4326", to: "EPSG:4549").forward(x: 119.8, y: 35.9)
        let fromPROJString = try Transformer(from: "+proj=longlat +datum=WGS84 +type=crs", to: "EPSG:4549")
            .forward(x: 119.8, y: 35.9)
        #expect(abs(fromEPSG.x - fromPROJString.x) < 0.001 && abs(fromEPSG.y - fromPROJString.y) < 0.001)
        #expect(abs(fromEPSG.x - 481944.5123) < 0.001)
    }

    @Test("a point PROJ cannot transform throws with PROJ's message")
    func singlePointFailure() throws {
        let transformer = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        do {
            _ = try transformer.forward(x: 119.8, y: 95)
            Issue.record("latitude 95 was transformed")
        } catch let PROJError.transformFailed(x, y, message) {
            #expect(x == 119.8 && y == 95)
            #expect(message.localizedCaseInsensitiveContains("latitude") || message.contains("Invalid coordinate"))
        }
        // The failure leaves no state behind: the next point works.
        #expect(try abs(transformer.forward(x: 119.8, y: 35.9).x - 481944.5123) < 0.001)
    }

    @Test("a transformer from CRS objects equals one from definition strings")
    func fromCRSObjects() throws {
        let context = PROJContext()
        let fromObjects = try Transformer(source: CRS("EPSG:4326", context: context), target: CRS("EPSG:4549", context: context))
        #expect(fromObjects.definition == TransformDefinition(source: "EPSG:4326", target: "EPSG:4549"))
        #expect(fromObjects.sourceIsGeographic && !fromObjects.targetIsGeographic)
        let fromStrings = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        let a = try fromObjects.forward(x: 119.9, y: 36.0), b = try fromStrings.forward(x: 119.9, y: 36.0)
        #expect(a.x == b.x && a.y == b.y)
    }

    @Test("an unknown CRS in a transformer throws unknownCRS naming it")
    func unknownCRSInTransformer() {
        #expect(throws: PROJError.self) { _ = try Transformer(from: "EPSG:4326", to: "foo") }
        do {
            _ = try Transformer(from: "EPSG:999999", to: "EPSG:4549")
        } catch {
            #expect("\(error)".contains("EPSG:999999"))
        }
    }

    @Test("a TransformDefinition rebuilds the same transformation on another thread")
    func definitionCrossesThreads() async throws {
        let local = try Transformer(from: "EPSG:4326", to: "EPSG:4549")
        let definition = local.definition
        let remote = try await Task.detached {
            let transformer = try definition.makeTransformer()
            let point = try transformer.forward(x: 119.8, y: 35.9)
            return [point.x, point.y]
        }.value
        let expected = try local.forward(x: 119.8, y: 35.9)
        #expect(remote == [expected.x, expected.y])
    }
}
