import GeoJSON
import GridMapCore
import PROJ
import Testing

/// Point features on the micro-grids, the report's text and GeoJSON layer, and bad input.
@Suite("Coverage validation: homes and wells, report output, errors")
struct CoverageReportTests {
    typealias F = CoverageFixtures
    let validator = CoverageValidator()

    @Test("a home 50 m outside the town is reported outside the town, 50 m from micro-grid DC-001-1")
    func homeOutsideTown() throws {
        var data = F.cleanTown()
        data.features.append(F.home(id: "home-out", -50, 300))
        let report = try validator.validate(data)
        let problem = try #require(report.problems.count == 1 ? report.problems.first : nil)
        #expect(problem.kind == .featureOutsideTown)
        #expect(problem.level == .feature)
        #expect(problem.featureID == "home-out")
        #expect(problem.codes == [F.code("DC-001-1")])
        #expect(abs((problem.distanceMetres ?? 0) - 50) < 0.5)
        #expect(problem.location == F.position(-50, 300))
    }

    @Test("a home in a hole among micro-grids is in the town but in no micro-grid, 5 m from the nearest")
    func homeInGapBetweenMicroGrids() throws {
        let ring: F.Ring = [(0, 0), (1500, 0), (1500, 750), (720, 750), (720, 740), (700, 740), (700, 750), (0, 750)]
        var data = F.replacingMicroGrid("DC-001-1", with: F.polygon(ring), in: F.cleanTown())
        data.features.append(F.home(id: "home-gap", 710, 745))
        let report = try validator.validate(data)
        let homes = report.problems(ofKind: .featureOutsideMicroGrids)
        let problem = try #require(homes.count == 1 ? homes.first : nil)
        #expect(problem.featureID == "home-gap")
        #expect(abs((problem.distanceMetres ?? 0) - 5) < 0.05)
        #expect(report.problems.count == 2)  // and the grid-level gap itself
    }

    @Test("point features of unchecked kinds are skipped, or reported as info without making the town unclean")
    func uncheckedKindsAreInformational() throws {
        var data = F.cleanTown()
        data.features.append(MapFeature(id: "school-1", kind: .school, name: "", geometry: .point(F.position(-100, -100))))
        #expect(try validator.validate(data).problems.isEmpty)
        let report = try CoverageValidator(options: CoverageOptions(reportsOtherPointFeatures: true)).validate(data)
        #expect(report.problems.map(\.severity) == [.info])
        #expect(report.isClean)
    }

    @Test("the text has one line per problem with kind, codes, place and area, then a summary")
    func textLines() throws {
        let report = try validator.validate(F.townWithNotchBetweenGrids(1490, 700, 720))
        let lines = report.text().split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("gap  DC-001 × DC-002  at 119.8"))
        #expect(lines[0].contains("area 200."))
        #expect(lines[1] == "1 problem (1 error): 1 gap; not clean")
        #expect(try validator.validate(F.cleanTown()).text().hasSuffix("clean\n"))
    }

    @Test("the problems layer writes as GeoJSON and reads back with one feature per problem and its properties")
    func problemsLayerRoundTrips() throws {
        let bowTie = F.polygon([(0, 0), (1500, 750), (1500, 0), (0, 750)])
        var data = F.replacingMicroGrid("DC-001-1", with: bowTie, in: F.townWithNotchBetweenGrids(1490, 1000, 1020))
        data.features.append(F.home(id: "home-out", -50, 300))
        let report = try validator.validate(data)
        // DC-001-2 keeps its full width, so it also reaches into the notch cut from grid DC-001.
        #expect(report.problems.map(\.kind) == [.invalidPolygon, .gap, .gap, .gap, .outsideParent, .featureOutsideTown])
        let text = try GeoJSONWriter.string(report.problemsLayer())
        guard case .featureCollection(let collection) = try GeoJSONReader.read(string: text) else {
            Issue.record("the problems layer is not a FeatureCollection")
            return
        }
        #expect(collection.features.count == report.problems.count)
        let kinds = collection.features.compactMap { $0.properties?["kind"]?.stringValue }
        #expect(kinds == report.problems.map(\.kind.rawValue))
        let gap = try #require(collection.features.first { $0.properties?["level"]?.stringValue == "town" })
        #expect(gap.properties?["codes"]?.stringValue == "DC-001 DC-002")
        #expect(abs((gap.properties?["area_m2"]?.doubleValue ?? 0) - 200) < 2)
        let home = try #require(collection.features.first { $0.properties?["feature_id"] != nil })
        #expect(home.properties?["kind"]?.stringValue == "feature-outside-town")
    }

    @Test("an unknown or geographic working CRS is a clear error")
    func badWorkingCRS() {
        for crs: CRSDefinition in ["EPSG:999999", "EPSG:4326"] {
            var data = F.cleanTown()
            data.town.workingCRS = crs
            #expect(throws: CoverageError.self) { try validator.validate(data) }
        }
    }

    @Test("a home whose position is not a finite number is reported, not a crash or a failed validation")
    func nonFiniteHome() throws {
        var data = F.cleanTown()
        data.features.append(MapFeature(id: "home-nan", kind: .home, name: "",
                                        geometry: .point(Position(longitude: .nan, latitude: 35.9))))
        let report = try validator.validate(data)
        #expect(report.problems.map(\.featureID) == ["home-nan"])
        #expect(report.problems.first?.message.contains("not a finite number") == true)
    }

    @Test("a town boundary that is not a polygon, and a negative tolerance, are clear errors")
    func badInput() {
        var data = F.cleanTown()
        data.town.boundary = .point(F.position(0, 0))
        #expect(throws: CoverageError.townBoundary("a Point is not a Polygon or MultiPolygon")) { try validator.validate(data) }
        let negative = CoverageValidator(options: CoverageOptions(sliverArea: -1))
        #expect(throws: CoverageError.self) { try negative.validate(F.cleanTown()) }
    }

    @Test("a grid given as a line or with an open ring is reported as an unusable polygon, not a crash")
    func unusableGeometry() throws {
        var data = F.cleanTown()
        data.grids[1].geometry = .lineString([F.position(1500, 0), F.position(3000, 1500)])
        data.grids[2].geometry = .polygon([[F.position(0, 1500), F.position(1500, 1500), F.position(1500, 3000),
                                            F.position(0, 3000)]])
        let report = try validator.validate(data)
        let invalid = report.problems(ofKind: .invalidPolygon)
        #expect(invalid.map(\.codes) == [[F.code("DC-002")], [F.code("DC-003")]])
        #expect(invalid.allSatisfy { $0.message.contains("unusable") })
    }
}
