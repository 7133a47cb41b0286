import Foundation
import GridMapApp
import GridMapCore
@testable import GridMapServer
import Testing

/// The web map in a real headless Chromium (Debian's, through Debian's chromedriver and Selenium
/// from tools/.venv-test), driven by Tests/GridMapServerTests/browser/webmap.py like a user. A
/// missing browser, driver or virtualenv fails these tests (tools/test runs tools/setup first).
@Suite("The web map in a headless Chromium", .serialized)
struct WebMapBrowserTests {
    @Test("the map page draws Dacun's 291 micro-grids and 115 grids with no console error, its screenshot is not blank, and a click shows the grid's public team")
    func mapDrawsTheTown() async throws {
        let services = try ServerShellTests.services()
        let facts = try await WebMapBrowser.browse("load", "map/", ["--name", "desktop"])
        #expect(facts["microGridPaths"] as? Int == 291)
        #expect(facts["gridPaths"] as? Int == 115)
        #expect(facts["problems"] as? Int == 0, "\(facts["status"] ?? "")")
        #expect((facts["consoleErrors"] as? [String])?.isEmpty == true, "\(facts["consoleErrors"] ?? "")")
        #expect(facts["htmlLang"] as? String == "zh-CN")
        #expect(facts["tabs"] as? [String] == ["网格", "搜索", "上报", "看板", "登录"])
        #expect(facts["who"] as? String == "未登录（公众）")
        // A picture of a map, not an empty page: many colours, none covering nearly all of it.
        #expect((facts["screenshotColours"] as? Int ?? 0) > 50)
        #expect((facts["screenshotDominantShare"] as? Double ?? 1) < 0.9)
        #expect(FileManager.default.fileExists(atPath: facts["screenshot"] as? String ?? ""))
        // The first micro-grid drawn is DC-001-1: its card shows grid DC-001's public team.
        let card = facts["card"] as? [String: Any] ?? [:]
        #expect(card["grid"] as? String == "DC-001")
        let publicTeam = try TownOverview.grid(GridCode("DC-001")!, in: services.town.store, as: .public).team
        let rows = card["team"] as? [[String] ] ?? []
        #expect(rows.map { $0[1] } == publicTeam.map(\.name))
        #expect(Set(rows.map { $0[0] }).isSubset(of: ["网格长", "民情联络员"]))
    }

    @Test("at a phone's 360 px the map sits above the panel and nothing is wider than the screen")
    func phoneLayout() async throws {
        let facts = try await WebMapBrowser.browse("load", "map/", ["--name", "phone", "--width", "360", "--height", "740"])
        #expect(facts["viewportWidth"] as? Int == 360)
        #expect(facts["scrollWidth"] as? Int == 360)
        #expect(facts["microGridPaths"] as? Int == 291)
        let map = facts["map"] as? [String: Double] ?? [:]
        let panel = facts["panel"] as? [String: Double] ?? [:]
        let tabs = facts["tabBar"] as? [String: Double] ?? [:]
        #expect(map["width"] == 360)
        #expect((map["height"] ?? 0) >= 240)
        #expect(panel["width"] == 360)
        #expect((panel["top"] ?? 0) >= (map["top"] ?? 0) + (map["height"] ?? 0) - 1, "the panel is below the map")
        #expect((panel["top"] ?? 1000) < 740, "the panel starts on the screen")
        #expect((tabs["height"] ?? 0) > 0 && (tabs["width"] ?? 1000) <= 360)
        #expect((facts["consoleErrors"] as? [String])?.isEmpty == true, "\(facts["consoleErrors"] ?? "")")
    }

    @Test("with ?lang=en the page's labels are English")
    func englishLabels() async throws {
        let facts = try await WebMapBrowser.browse("load", "map/?lang=en", ["--name", "english"])
        #expect(facts["htmlLang"] as? String == "en")
        #expect(facts["tabs"] as? [String] == ["Grid", "Search", "Report", "Dashboard", "Sign in"])
        #expect(facts["who"] as? String == "Not signed in (public)")
        #expect(facts["languageSwitch"] as? String == "中文")
        #expect((facts["title"] as? String)?.hasSuffix("· GridMap") == true)
        let card = facts["card"] as? [String: Any] ?? [:]
        let rows = card["team"] as? [[String]] ?? []
        #expect(!rows.isEmpty && Set(rows.map { $0[0] }).isSubset(of: ["Grid chief", "Liaison"]))
        #expect((facts["consoleErrors"] as? [String])?.isEmpty == true, "\(facts["consoleErrors"] ?? "")")
    }
}

/// Runs tools/.venv-test's Python on browser/webmap.py and reads the JSON it prints.
enum BrowserScript {
    static let python = Repository.root.appendingPathComponent("tools/.venv-test/bin/python")
    static let script = Repository.root.appendingPathComponent("Tests/GridMapServerTests/browser/webmap.py")

    static func run(_ arguments: [String]) async throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw TestSetupError("\(python.path) is missing: run tools/setup (it installs chromium, chromium-driver and Selenium)")
        }
        let folder = try temporaryFolder()
        let ran = try await ChildProcess.run(python, [script.path] + arguments + ["--out", folder.path])
        guard ran.status == 0 else {
            throw TestSetupError("webmap.py \(arguments.first ?? "") exited \(ran.status): \(ran.stderr)")
        }
        return ran.stdout
    }

    /// The JSON object the script printed.
    static func facts(_ printed: Data) throws -> [String: Any] {
        guard let facts = try JSONSerialization.jsonObject(with: printed) as? [String: Any] else {
            throw TestSetupError("webmap.py printed no JSON object: \(String(decoding: printed, as: UTF8.self))")
        }
        return facts
    }
}

/// The browser against a real `gridmap serve` on a copy of Dacun's store (the page's writes —
/// sign-in, reports — land in the copy).
enum WebMapBrowser {
    /// Runs the browser script with `arguments`, the page's URL first (relative to the server), and gives what it saw.
    static func browse(_ scenario: String, _ page: String, _ arguments: [String] = []) async throws -> [String: Any] {
        let server = try ServerProcess(["--db", try DacunStore.writableCopy().path])
        defer { server.stop() }
        let printed = try await BrowserScript.run([scenario, server.url.absoluteString + page] + arguments)
        return try BrowserScript.facts(printed)
    }

    /// Runs `plan` (browser/webmap.py's steps) in one browser against a real `gridmap serve` over
    /// `store`; what each step saw, and the console's errors.
    static func run(_ plan: [[String: Any]], on store: URL) async throws -> (steps: [[String: Any]], consoleErrors: [String]) {
        let server = try ServerProcess(["--db", store.path, "--access-log", "/dev/null"])
        defer { server.stop() }
        let file = try temporaryFolder().appendingPathComponent("plan.json")
        try JSONSerialization.data(withJSONObject: plan).write(to: file)
        let facts = try BrowserScript.facts(try await BrowserScript.run(["run", server.url.absoluteString, "--plan", file.path]))
        return (facts["steps"] as? [[String: Any]] ?? [], facts["consoleErrors"] as? [String] ?? [])
    }
}
