import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

@Suite("Import validation: every problem reported, nothing changed")
struct ImportValidationTests {
    /// The synthetic town with one instance of every kind of problem the planner checks.
    static var brokenData: TownData {
        var data = SyntheticTown.data
        data.town.workingCRS = "EPSG:999999"
        // grids[1]: a bow-tie (self-intersecting) polygon.
        data.grids[1].geometry = .polygon([[
            Position(x: 119.81, y: 35.90), Position(x: 119.82, y: 35.91), Position(x: 119.82, y: 35.90),
            Position(x: 119.81, y: 35.91), Position(x: 119.81, y: 35.90),
        ]])
        // grids[2]: a line where an area is required; grids[3]: a village that does not exist.
        data.grids[2].geometry = .lineString([Position(x: 119.80, y: 35.91), Position(x: 119.81, y: 35.92)])
        data.grids[3].villageCode = "TS-V9"
        // microgrids[8]: a duplicate of microgrids[0]; microgrids[9]: its grid is missing.
        data.microGrids.append(data.microGrids[0])
        var orphan = data.microGrids[1]
        orphan.code = GridCode("TS-009-1")!
        data.microGrids.append(orphan)
        // wells[2]: an open ring cannot become a polygon; homes[0] uses a reserved property.
        data.features.append(MapFeature(id: "well-3", kind: .well, name: "坏井", geometry: .polygon([[
            Position(x: 119.801, y: 35.901), Position(x: 119.802, y: 35.901), Position(x: 119.802, y: 35.902),
            Position(x: 119.801, y: 35.902),
        ]])))
        data.features[0].properties["grid"] = "TS-001"
        // wells[3]: a duplicate of a home's id.
        data.features.append(MapFeature(id: "home-2", kind: .well, name: "重复", geometry: SyntheticTown.point(1_198_001, 359_001)))
        // homes[2]: an empty address; roads[0]: a class that is not a road class.
        data.features[2].properties["address"] = ""
        data.features[7].properties["class"] = "expressway"
        // residents[1]: no such home; residents[2]: home is a well.
        data.residents[1].homeID = "home-99"
        data.residents[2].homeID = "well-1"
        // team[3]: no such grid.
        data.team[3].gridCode = GridCode("TS-042")!
        return data
    }

    @Test("every problem is reported with its layer, index and id")
    func everyProblemReported() throws {
        let problems = rejection(importing: Self.brokenData, into: try SQLiteTownStore())?.problems ?? []
        func has(_ layer: String, _ index: Int?, _ id: String?, _ words: String) -> Bool {
            problems.contains { $0.layer == layer && $0.index == index && $0.id == id && $0.message.contains(words) }
        }
        #expect(has("town", nil, "TS", "workingCRS: unknown CRS \"EPSG:999999\""))
        #expect(has("grids", 1, "TS-002", "Self-intersection at (119.81"))
        #expect(has("grids", 2, "TS-003", "geometry is a LineString; a Polygon or MultiPolygon is required"))
        #expect(has("grids", 3, "TS-004", "village \"TS-V9\" is not in villages"))
        #expect(has("microgrids", 8, "TS-001-1", "micro-grid code \"TS-001-1\" is used twice (first in microgrids[0])"))
        #expect(has("microgrids", 9, "TS-009-1", "belongs to grid \"TS-009\", which is not in grids"))
        #expect(has("wells", 2, "well-3", "not closed"))
        #expect(has("homes", 0, "home-1", "grid are reserved"))
        #expect(has("wells", 3, "home-2", "id \"home-2\" is used twice (first in homes[1])"))
        #expect(has("homes", 2, "home-3", "properties.address: \"address\" must be a non-empty string, found \"\""))
        #expect(has("roads", 0, "road-1", "properties.class: \"class\" must be one of county, village, track, motorway"))
        #expect(has("residents", 1, "R-2", "home \"home-99\" is not in homes"))
        #expect(has("residents", 2, "R-3", "home \"well-1\" is a well, not a home"))
        #expect(has("team", 3, "吴四", "grid \"TS-042\" is not in grids"))
        #expect(problems.count == 14, "unexpected extra problems: \(problems)")
    }

    @Test("a rejected import leaves every row of the store as it was")
    func rejectedImportChangesNothing() throws {
        try SyntheticTown.withTemporaryStore { store in
            try store.importTown(SyntheticTown.data, source: "good")
            let before = try SyntheticTown.contents(of: store)
            #expect(rejection(importing: Self.brokenData, into: store) != nil)
            #expect(try SyntheticTown.contents(of: store) == before)
            #expect(try store.loadTown() == SyntheticTown.data)
        }
    }

    @Test("a geographic working CRS is refused: distances need metres")
    func geographicWorkingCRS() throws {
        var data = SyntheticTown.data
        data.town.workingCRS = "EPSG:4326"
        let error = try #require(rejection(importing: data, into: try SQLiteTownStore()))
        #expect(error.problems.map(\.message) == ["workingCRS: \"EPSG:4326\" is geographic (distances in degrees); the working CRS must be a projected CRS in metres such as the town's CGCS2000 3-degree Gauss-Kruger zone, EPSG:4549 (CM 120E)"])
    }

    @Test("a failure in the middle of the write transaction rolls everything back")
    func midTransactionFailureRollsBack() throws {
        try SyntheticTown.withTemporaryStore { store in
            try store.importTown(SyntheticTown.data, source: "good")
            let before = try SyntheticTown.contents(of: store)
            // A plan that passed the planner, then broken behind its back: an extra last resident's
            // home does not exist, so its foreign key fails after everything else was written.
            var plan = try ImportPlanner.plan(SyntheticTown.data)
            plan.residents.append(Resident(id: "R-X", name: "无家", homeID: "home-nowhere"))
            let error = try #require(throws: (any Error).self) { try store.write(plan, source: "sabotaged") }
            #expect("\(error)".contains("FOREIGN KEY constraint failed"))
            #expect(try SyntheticTown.contents(of: store) == before)
        }
    }

    @Test("a town validated by reading its folder is planned exactly as the same town not yet validated")
    func validatedTownPlansTheSame() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try TownFolder.write(SyntheticTown.data, to: folder)
        let read = try TownFolder.read(from: folder)
        var unmarked = read
        unmarked.villages += []
        #expect(read.isValidated && !unmarked.isValidated)
        let (fast, checked) = (try ImportPlanner.plan(read), try ImportPlanner.plan(unmarked))
        #expect(try fast.allFeatureRows() == checked.allFeatureRows())
        #expect(try fast.allFeatureRows().count == read.features.count)
    }

    @Test("duplicate village, grid and resident codes are each reported at their second use")
    func duplicates() throws {
        var data = SyntheticTown.data
        data.villages.append(data.villages[0])
        data.grids.append(data.grids[0])
        data.residents.append(data.residents[0])
        let error = try #require(rejection(importing: data, into: try SQLiteTownStore()))
        #expect(error.problems == [
            ImportProblem(.duplicate, layer: "villages", index: 2, id: "TS-V1",
                          message: "properties.code: village code \"TS-V1\" is used twice (first in villages[0])"),
            ImportProblem(.duplicate, layer: "grids", index: 4, id: "TS-001",
                          message: "properties.code: grid code \"TS-001\" is used twice (first in grids[0])"),
            ImportProblem(.duplicate, layer: "residents", index: 5, id: "R-1",
                          message: "resident id \"R-1\" is used twice (first in residents[0])"),
        ])
    }
}
