import ByteOutput
import Foundation
import GridMapApp
import GridMapCore
import GridStore
import SeededRandom
import Testing

/// The one disclosure policy: the public sees no person (the join of issue 15 finds nobody),
/// counts are suppressed so that no small cell can be worked out, a grid worker sees their own
/// grid and nothing of others.
@Suite("Disclosure: what each role sees of people and counts")
struct DisclosureTests {
    /// A volunteer of TT-001 who is resident R-1, and a functional staff member of TT-002 who is
    /// resident R-2 (same names and phones): the people the issue's join singled out.
    static let residentMembers = "TT-001,volunteer,张三,,13812345678\nTT-002,functional,王小明,派出所,13900001111\n"

    @Test("every count is exact from 5 up or suppressed, no column has one suppressed cell while the town's is shown, the office's column is exact")
    func suppressionProperties() {
        var random = SplitMix64(seed: 15)
        let codes = (1...12).compactMap { GridCode("TT-\(String(format: "%03d", $0))") }
        for _ in 0..<3000 {
            let grids = Array(codes.prefix(Int.random(in: 1...12, using: &random)))
            let counts = grids.map { _ in Int.random(in: 0...(Bool.random(using: &random) ? 6 : 40), using: &random) }
            let town = counts.reduce(0, +) + Int.random(in: 0...3, using: &random)
            let own = grids[Int.random(in: 0..<grids.count, using: &random)]
            for role in [ResidentRole.public, .gridWorker(own), .office] {
                let disclosure = Disclosure(role)
                let column = disclosure.disclose(counts, town: town, grids: grids)
                var suppressed = 0
                for (index, cell) in column.grids.enumerated() {
                    switch cell {
                    case .exact(let count):
                        #expect(count == counts[index])
                        #expect(count >= Disclosure.smallCount || disclosure.seesResidents(inGrid: grids[index]), "\(role): \(counts)")
                    case .suppressed:
                        suppressed += 1
                        #expect(!disclosure.seesResidents(inGrid: grids[index]), "\(role) sees \(grids[index]) and its count")
                    }
                }
                #expect(suppressed != 1 || column.town == .suppressed, "\(role): \(counts) gives its one small cell away")
                if column.town != .suppressed { #expect(column.town == .exact(town)) }
                if role == .office { #expect(column.grids == counts.map(DisclosedCount.exact) && column.town == .exact(town)) }
            }
        }
    }

    @Test("secondary suppression hides the next smallest count of the column, not the grid worker's own")
    func secondarySuppression() throws {
        let grids = try ["TT-001", "TT-002", "TT-003", "TT-004"].map { try #require(GridCode($0)) }
        let column = Disclosure(.public).disclose([3, 9, 7, 20], town: 39, grids: grids)
        #expect(column.grids.map(\.description) == ["<5", "9", "<5", "20"] && column.town == .exact(39))
        let worker = Disclosure(.gridWorker(grids[2])).disclose([3, 9, 7, 20], town: 39, grids: grids)
        #expect(worker.grids.map(\.description) == ["<5", "<5", "7", "20"])
        #expect(Disclosure(.public).disclose([3, 1, 7], town: 11, grids: Array(grids.prefix(3))).grids.map(\.description) == ["<5", "<5", "7"])
    }

    @Test("the issue's join finds nobody: public output holds no resident and only grid chiefs and liaisons of the team")
    func joinAttackOnTheTinyTown() throws {
        let town = try TestTown(roads: false, teamRows: Self.residentMembers)
        defer { town.remove() }
        let folder = town.folder.appendingPathComponent("public")
        try TownTransfer.exportFolder(from: town.store, in: nil, as: .public, to: folder, precision: 7)
        var published = try FileManager.default.contentsOfDirectory(atPath: folder.path).map { name in
            try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        for name in ["town", "villages", "grids", "microgrids", "homes", "wells", "team"] {
            let sink = MemorySink()
            _ = try TownTransfer.exportLayer(named: name, from: town.store, in: nil, as: .public, to: sink, precision: 7)
            published.append(sink.string)
        }
        published.append(try ResidentSelection(store: town.store).counts(of: [], as: .public).csv)
        for text in published {
            for secret in ["R-1", "R-2", "张三", "王小明", "13812345678", "13900001111", "5678", "1111", "volunteer", "functional"] {
                #expect(!text.contains(secret), "public output holds \(secret): \(text)")
            }
        }
        // The join itself: public residents × public team on family name and phone ending.
        let residents = try String(contentsOf: folder.appendingPathComponent("residents.csv"), encoding: .utf8)
        #expect(residents.split(separator: "\n").count == 1, "only the header: \(residents)")
        let exported = try TownTransfer.exportData(from: town.store, in: nil, as: .public)
        let singledOut = exported.data.team.filter { member in
            exported.data.residents.contains { $0.name.first == member.name.first && $0.phone?.suffix(4) == member.phone?.suffix(4) }
        }
        #expect(singledOut.isEmpty && exported.data.team.map(\.role) == [.chief, .liaison])
        #expect(throws: JobError.self) { try ResidentSelection(store: town.store).residents(of: [], in: .town, as: .public) }
    }

    @Test("a grid worker sees their own grid's residents and whole team, and of other grids what the public sees")
    func gridWorkerSeesTheirGrid() throws {
        let town = try TestTown(roads: false, teamRows: Self.residentMembers)
        defer { town.remove() }
        let export = try TownTransfer.exportData(from: town.store, in: nil, as: .gridWorker(GridCode("TT-001")!))
        #expect(export.data.residents.map(\.name) == ["张三"])
        #expect(export.data.team.map(\.name) == ["李网格长", "赵联络员", "张三"])
        let office = try TownTransfer.exportData(from: town.store, in: nil, as: .office)
        #expect(office.data.team.count == 4 && office.data.residents.count == 2)
        let detail = try TownOverview.grid(GridCode("TT-002")!, in: town.store, as: .gridWorker(GridCode("TT-001")!))
        #expect(detail.team.isEmpty && detail.residents == .suppressed)
    }
}
