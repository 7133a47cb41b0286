import Foundation
import GridMapApp
import GridMapCore
import GridStore
import Testing

/// The import job refuses what would lose data and keeps the stored town (issue #15, item 1):
/// unreadable files, coverage faults unless allowed; allowed faults stay visible in the overview.
@Suite("Import job: refusing what would lose data")
struct ImportGuardTests {
    /// A copy of the tiny town in the test town's folder, with micro-grid TT-001-2 shrunk from
    /// the north by 0.001° (about 111 m): a gap in grid TT-001.
    static func withGap(_ town: TestTown) throws -> URL {
        try withTT0012(town, named: "gap", ring: [[119.8, 35.905], [119.81, 35.905], [119.81, 35.909], [119.8, 35.909], [119.8, 35.905]])
    }

    /// A copy of the tiny town with micro-grid TT-001-2 grown 0.002° (about 220 m) south over
    /// TT-001-1: an overlap.
    static func withOverlap(_ town: TestTown) throws -> URL {
        try withTT0012(town, named: "overlap", ring: [[119.8, 35.903], [119.81, 35.903], [119.81, 35.91], [119.8, 35.91], [119.8, 35.903]])
    }

    /// A copy of the tiny town, called `name`, whose micro-grid TT-001-2 is the polygon `ring`.
    static func withTT0012(_ town: TestTown, named name: String, ring: [[Double]]) throws -> URL {
        let copy = town.folder.appendingPathComponent(name)
        try FileManager.default.copyItem(at: TestTown.fixture, to: copy)
        let file = copy.appendingPathComponent("microgrids.geojson")
        var collection = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var features = try #require(collection["features"] as? [[String: Any]])
        let index = try #require(features.firstIndex { $0["id"] as? String == "TT-001-2" })
        features[index]["geometry"] = ["type": "Polygon", "coordinates": [ring]]
        collection["features"] = features
        try JSONSerialization.data(withJSONObject: collection).write(to: file)
        return copy
    }

    func rejection(_ body: () throws -> Void) -> JobError? {
        do {
            try body()
        } catch let error as JobError {
            return error
        } catch {
            Issue.record("not a JobError: \(error)")
        }
        return nil
    }

    @Test("residents.csv as a dangling link is refused, and the stored register is kept")
    func unreadableResidents() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let copy = town.folder.appendingPathComponent("unreadable")
        try FileManager.default.copyItem(at: TestTown.fixture, to: copy)
        let residents = copy.appendingPathComponent("residents.csv")
        try FileManager.default.removeItem(at: residents)
        try FileManager.default.createSymbolicLink(at: residents, withDestinationURL: URL(fileURLWithPath: "/nonexistent/residents.csv"))
        let error = rejection { try TownTransfer.importFolder(copy, crs: nil, into: town.store) }
        #expect(error?.kind == .rejected)
        #expect(error?.details.contains { $0.hasSuffix("/residents.csv: cannot be read: No such file or directory: a link to \"/nonexistent/residents.csv\", which does not exist") } == true,
                "\(error?.details ?? [])")
        #expect(try town.store.summary().residents == 2)
    }

    @Test("a town with a gap is refused with the fault, and the store keeps its clean town")
    func gapRefused() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let error = rejection { try TownTransfer.importFolder(Self.withGap(town), crs: nil, into: town.store) }
        #expect(error?.kind == .rejected)
        #expect(error?.message.contains("1 coverage fault in ") == true, "\(error?.message ?? "")")
        #expect(error?.message.hasSuffix("(gridmap validate maps them once imported; allow them with --allow-coverage-faults):") == true)
        #expect(error?.details.count == 1 && error?.details.first?.hasPrefix("  gap  TT-001") == true, "\(error?.details ?? [])")
        #expect(try town.store.acceptedCoverageFaults().isEmpty)
        #expect(try CoverageCheck.run(on: town.store, sliverArea: 1).isClean)
    }

    @Test("a town whose micro-grids overlap is refused with the fault, and the store keeps its clean town")
    func overlapRefused() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let error = rejection { try TownTransfer.importFolder(Self.withOverlap(town), crs: nil, into: town.store) }
        #expect(error?.kind == .rejected)
        #expect(error?.details.contains { $0.contains("overlap") && $0.contains("TT-001-1") && $0.contains("TT-001-2") } == true,
                "\(error?.details ?? [])")
        #expect(try town.store.acceptedCoverageFaults().isEmpty)
        #expect(try CoverageCheck.run(on: town.store, sliverArea: 1).isClean, "the stored town is the clean one")
    }

    @Test("allowed, the gap is imported, stored with the import and counted by the overview; a clean import clears it")
    func gapAllowed() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let summary = try TownTransfer.importFolder(Self.withGap(town), crs: nil, allowingCoverageFaults: true, into: town.store)
        #expect(summary.coverageFaultsAccepted == 1)
        let stored = try town.store.acceptedCoverageFaults()
        #expect(stored.map(\.kind) == ["gap"] && stored.first?.codes == ["TT-001", "TT-001-2"], "\(stored)")
        // 0.01° × 0.001° at 35.9°N: about 902 m × 111 m.
        #expect(stored.first.map { (99_000...101_500).contains($0.areaSquareMetres) } == true, "\(stored)")
        #expect(try TownOverview(store: town.store).acceptedCoverageFaults == 1)
        #expect(try !CoverageCheck.run(on: town.store, sliverArea: 1).isClean)
        try TownTransfer.importFolder(TestTown.fixture, crs: nil, into: town.store)
        #expect(try TownOverview(store: town.store).acceptedCoverageFaults == 0)
    }
}
