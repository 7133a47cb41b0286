import Foundation
import Testing

/// The repository this test file is in.
private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What one run of `tools/check-imports` printed and how it ended.
private struct CheckResult {
    var status: Int32
    var lines: [String]
    var violations: [String] { lines.filter { !$0.hasPrefix("check-imports:") } }
    var summary: String { lines.last ?? "" }
}

/// Runs `tools/check-imports` as a developer does: the copy inside `root`, on the tree it is in.
private func checkImports(in root: URL, _ arguments: String...) throws -> CheckResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", root.appendingPathComponent("tools/check-imports").path] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    return CheckResult(status: process.terminationStatus, lines: lines)
}

/// A temporary repository with the check in it and whatever Swift files a test writes; removed
/// by the caller's `defer`.
private struct Tree {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-check-imports-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tools"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repository.appendingPathComponent("tools/check-imports"),
                                         to: root.appendingPathComponent("tools/check-imports"))
    }

    /// The repository's own Swift files, in the folders the check reads, at the same paths.
    static func copyOfRepository() throws -> Tree {
        let tree = try Tree()
        for folder in ["Sources", "Tests", "tools/town-generator", "tools/bench/GridMapBench"] {
            let enumerator = FileManager.default.enumerator(atPath: repository.appendingPathComponent(folder).path)
            while let path = enumerator?.nextObject() as? String {
                guard path.hasSuffix(".swift") else { continue }
                let relative = "\(folder)/\(path)"
                let data = try Data(contentsOf: repository.appendingPathComponent(relative))
                try tree.write(relative, String(decoding: data, as: UTF8.self))
            }
        }
        return tree
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite("tools/check-imports: the module map, enforced")
struct CheckImportsTests {
    @Test("the repository as it is keeps every import rule")
    func repositoryPasses() throws {
        let result = try checkImports(in: repository)
        #expect(result.status == 0, "\(result.lines)")
        #expect(result.violations.isEmpty)
        #expect(result.summary.hasSuffix("all allowed"))
    }

    @Test("CGEOS planted in GridMapCore and GRDB planted in gridmap fail the check, each reported at its file and line")
    func plantedViolationsFail() throws {
        let tree = try Tree.copyOfRepository()
        defer { tree.remove() }
        #expect(try checkImports(in: tree.root).status == 0, "the copy passes before anything is planted")

        try tree.write("Sources/GridMapCore/Planted.swift", """
            // A shortcut to the C library, past the GEOS wrapper.
            import Foundation
            import CGEOS
            """)
        try tree.write("Sources/gridmap/Planted.swift", """
            import Foundation
            import struct GRDB.Database
            """)
        let result = try checkImports(in: tree.root)
        #expect(result.status == 1)
        #expect(result.violations == [
            "Sources/GridMapCore/Planted.swift:3: target GridMapCore may not import CGEOS (rule: only GEOS imports CGEOS)",
            "Sources/gridmap/Planted.swift:2: target gridmap may not import GRDB (rule: GRDB and GRDBSQLite only in GridStore and its tests)",
        ])
        #expect(result.summary.hasSuffix("2 violations"))
    }

    @Test("every form of import counts, and imports in comments and string literals do not")
    func importForms() throws {
        let tree = try Tree()
        defer { tree.remove() }
        try tree.write("Sources/GridMapCore/Forms.swift", ##"""
            import Foundation
            @testable import GridStore
            @_implementationOnly import Routing
            public import struct MapRender.MapStyle
            @preconcurrency import GEOS; import GridMapApp
            /* a comment /* nested */
            import GridStore
            */
            // import GridStore
            let swift = """
                import Routing
                """
            let raw = #"""
                import Routing
                """#
            let one = "import Routing"
            """##)
        let result = try checkImports(in: tree.root)
        #expect(result.status == 1)
        #expect(result.violations.map { $0.prefix { $0 != " " } } == [
            "Sources/GridMapCore/Forms.swift:2:", "Sources/GridMapCore/Forms.swift:3:",
            "Sources/GridMapCore/Forms.swift:4:", "Sources/GridMapCore/Forms.swift:5:",
        ])
        #expect(result.violations[2].contains("target GridMapCore may not import MapRender"))
        #expect(result.violations[3].contains(
            "may not import GridMapApp (rule: nothing below the application layer imports GridMapApp)"))
        #expect(result.violations[0].hasSuffix(
            "(rule: GridMapCore imports none of GridStore, Routing, MapRender, GridMapApp)"))
    }

    @Test("test targets may import their module, what it may import and SeededRandom; nothing above it")
    func testTargets() throws {
        let tree = try Tree()
        defer { tree.remove() }
        try tree.write("Tests/RoutingTests/Allowed.swift", """
            import Testing
            @testable import Routing
            import GridMapCore
            import GeoJSON
            import SeededRandom
            """)
        try tree.write("Tests/GridMapCoreTests/Above.swift", """
            import Testing
            import GridMapCore
            import TownGenerator
            """)
        try tree.write("Tests/GEOSTests/Below.swift", "import CGEOS\n")
        let result = try checkImports(in: tree.root)
        #expect(result.violations.count == 2)
        #expect(result.violations.first
            == "Tests/GEOSTests/Below.swift:1: target GEOSTests may not import CGEOS (rule: only GEOS imports CGEOS)")
        #expect(result.violations.last?.hasPrefix("Tests/GridMapCoreTests/Above.swift:3: target GridMapCoreTests may not import "
            + "TownGenerator (rule: layering: GridMapCoreTests (the tests of GridMapCore) may import only ") == true)
    }

    @Test("a module or a target missing from the table is reported, so the table grows with the package")
    func unknownNames() throws {
        let tree = try Tree()
        defer { tree.remove() }
        try tree.write("Sources/GridMapCore/Yaml.swift", "import Yams\n")
        try tree.write("Sources/Stray/Stray.swift", "import Foundation\nimport GEOS\n")
        let result = try checkImports(in: tree.root)
        #expect(result.status == 1)
        #expect(result.violations == [
            "Sources/GridMapCore/Yaml.swift:1: target GridMapCore may not import Yams (rule: Yams is not a known module: add it to the table in tools/check-imports)",
            "Sources/Stray/Stray.swift:2: target Stray may not import GEOS (rule: Stray is not in the table in tools/check-imports: add its arrows)",
        ])
    }

    @Test("the CLI may import the application layer and value modules, not the libraries below them")
    func cliRule() throws {
        let tree = try Tree()
        defer { tree.remove() }
        try tree.write("Sources/gridmap/Route.swift", """
            import ArgumentParser
            import GridMapApp
            import GridMapCore
            import Routing
            """)
        let result = try checkImports(in: tree.root)
        #expect(result.status == 1)
        #expect(result.violations == [
            "Sources/gridmap/Route.swift:4: target gridmap may not import Routing (rule: the CLI imports only GridMapApp and value modules (no C module, GRDB, GEOS, PROJ, GridStore, Routing, MapRender))",
        ])
    }
}
