import Foundation
import Testing

/// `gridmap import` refuses a town with coverage faults unless --allow-coverage-faults, and
/// `gridmap info` then keeps saying so (issue #15, item 1).
@Suite("gridmap import: coverage faults")
struct ImportCommandGuardTests {
    @Test("a home outside the town refuses the import; allowed, it is imported and info shows the accepted fault")
    func homeOutsideTheTown() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let folder = try work.copyOfTinyTown(named: "moved-home")
        let homes = folder.appendingPathComponent("homes.geojson")
        let text = try String(contentsOf: homes, encoding: .utf8)
        try text.replacingOccurrences(of: "119.817", with: "119.83").write(to: homes, atomically: true, encoding: .utf8)

        let refused = try GridMapExecutable.run(["import", folder.path, "--db", work.db])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("import rejected, nothing changed; 1 coverage fault in "), "\(refused.stderr)")
        #expect(refused.stderr.contains("feature-outside-town  TT-002-2  feature home-2  at 119.830000 35.907000  distance 902.7 m  home home-2 (东村2号) lies outside the town"), "\(refused.stderr)")
        let before = try GridMapExecutable.run(["info", "--db", work.db])
        #expect(!before.stdout.contains("coverage:"))

        let allowed = try GridMapExecutable.run(["import", folder.path, "--allow-coverage-faults", "--db", work.db])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stderr.contains("note: 1 coverage faults accepted (see gridmap validate)"), "\(allowed.stderr)")
        let info = try GridMapExecutable.run(["info", "--db", work.db])
        #expect(info.status == 0)
        #expect(info.stdout.contains("\n  coverage: 1 fault accepted at import, see gridmap validate\n"), "\(info.stdout)")
        let validate = try GridMapExecutable.run(["validate", "--db", work.db])
        #expect(validate.status == 1 && validate.stdout.contains("feature home-2"))
    }
}
