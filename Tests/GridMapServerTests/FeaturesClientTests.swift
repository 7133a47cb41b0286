import Foundation
import GridMapApp
@testable import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

/// OGC API – Features read by clients nobody here wrote, against a real `gridmap serve`: GDAL's
/// OAPIF driver (`ogrinfo`, `ogr2ogr`, Debian's gdal-bin) and OWSLib's `Features` (Python, from
/// tools/.venv-test). A client that is not installed fails the test: tools/setup installs both.
@Suite("OGC API – Features read by GDAL and OWSLib from a real server", .serialized)
struct FeaturesClientTests {
    /// Runs `executable` with `arguments`; its standard output, or a failure with its standard error.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestSetupError("\(executable) is not installed; tools/setup installs it (gdal-bin, tools/.venv-test)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Standard error to a file, so that neither pipe can fill and block the client.
        let errorFile = try temporaryFolder().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errorFile)
        defer { try? errors.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(stderr)")
        }
        return text
    }

    static let python = Repository.root.appendingPathComponent("tools/.venv-test/bin/python").path

    static func server() throws -> ServerProcess {
        try ServerProcess(["--db", try FeaturesFixture.storeWithEvents().path, "--read-only", "--access-log", "/dev/null"])
    }

    @Test("ogrinfo lists every collection the public may read, and gives the feature counts of micro-grids (291) and homes")
    func gdalListsAndCounts() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let source = "OAPIF:\(server.url.absoluteString)"
        let listing = try Self.run("/usr/bin/ogrinfo", ["-ro", "-q", source])
        let services = try FeaturesFixture.services()
        let expected = try FeatureCollections(service: services.town).collections(for: .anonymous).map(\.id)
        for id in expected {
            #expect(listing.contains(": \(id) ") || listing.contains(": \(id)\n"), "ogrinfo lists \(id): \(listing)")
        }
        #expect(!listing.contains("residents"))
        let micro = try Self.run("/usr/bin/ogrinfo", ["-ro", "-so", source, "micro-grids"])
        #expect(micro.contains("Feature Count: 291"), "\(micro)")
        let homes = try Self.run("/usr/bin/ogrinfo", ["-ro", "-so", source, "homes"])
        let count = try services.town.store.summary().featuresByKind[.home] ?? -1
        #expect(homes.contains("Feature Count: \(count)"), "\(homes)")
    }

    @Test("ogr2ogr copies all 291 micro-grids into a GeoPackage with their codes")
    func gdalCopiesMicroGrids() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let folder = try temporaryFolder()
        let gpkg = folder.appendingPathComponent("micro-grids.gpkg").path
        _ = try Self.run("/usr/bin/ogr2ogr", ["-f", "GPKG", gpkg, "OAPIF:\(server.url.absoluteString)", "micro-grids"])
        let csv = try Self.run("/usr/bin/ogr2ogr", ["-f", "CSV", "/vsistdout/", gpkg, "-sql", "SELECT code FROM \"micro-grids\""])
        let codes = csv.split(whereSeparator: \.isNewline).dropFirst().map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        let stored = try FeaturesFixture.services().town.town.data.microGrids.map(\.code.description)
        #expect(codes.count == 291)
        #expect(Set(codes) == Set(stored))
    }

    @Test("OWSLib's Features reads the collections and the homes in a box: the same ids as the in-process answer")
    func owslibReadsItems() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let bbox = "119.79,35.89,119.80,35.90"
        let script = """
            import json, sys
            from owslib.ogcapi.features import Features
            api = Features(sys.argv[1])
            collections = [c["id"] for c in api.collections()["collections"]]
            items = api.collection_items("homes", bbox=[119.79, 35.89, 119.80, 35.90], limit=10000)
            print(json.dumps({"collections": collections, "ids": [f["id"] for f in items["features"]],
                              "matched": items.get("numberMatched")}))
            """
        let output = try Self.run(Self.python, ["-c", script, server.url.absoluteString])
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let app = Application(router: try FeaturesFixture.router())
        let (inProcess, collections) = try await app.test(.router) { client -> ([String], [String]) in
            let ids = try JSONBody(try await client.get("/collections/homes/items?bbox=\(bbox)&limit=10000")).ids
            let listed = try JSONBody(try await client.get("/collections"))["collections"] as? [[String: Any]] ?? []
            return (ids, listed.compactMap { $0["id"] as? String })
        }
        #expect(!inProcess.isEmpty)
        #expect(answer["ids"] as? [String] == inProcess)
        #expect(answer["matched"] as? Int == inProcess.count)
        #expect(answer["collections"] as? [String] == collections)
    }

    @Test("an office's bearer token from POST /auth/token reads residents through OWSLib, as does a grid worker's (its grid's only); without one, 403")
    func owslibResidentsWithAToken() async throws {
        let store = try DacunStore.writableCopy()
        try TestAccounts.add(toStoreAt: store)
        let server = try ServerProcess(["--db", store.path, "--access-log", "/dev/null"])
        defer { server.stop() }
        let script = """
            import json, sys
            from owslib.ogcapi.features import Features
            api = Features(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
            items = api.collection_items("residents", limit=5)
            grids = api.collection_items("residents", limit=10000)
            print(json.dumps({"returned": items.get("numberReturned"), "matched": items.get("numberMatched"),
                              "grids": sorted({f["properties"]["grid"] for f in grids["features"]})}))
            """
        let office = try #require(try JSONSerialization.jsonObject(with: Data(try Self.run(Self.python, ["-c", script, server.url.absoluteString, try await server.token(TestAccounts.office)]).utf8)) as? [String: Any])
        #expect(office["returned"] as? Int == 5)
        let worker = try #require(try JSONSerialization.jsonObject(with: Data(try Self.run(Self.python, ["-c", script, server.url.absoluteString, try await server.token(TestAccounts.dc017)]).utf8)) as? [String: Any])
        #expect(worker["grids"] as? [String] == ["DC-017"])
        #expect((worker["matched"] as? Int ?? .max) < (office["matched"] as? Int ?? 0))
        let refused = try await server.request("collections/residents/items")
        #expect(refused.status == 403)
    }
}
