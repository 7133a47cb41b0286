import Foundation
import GridMapApp
import GridMapServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The server's shell: health, problem documents, the access log, start and stop")
struct ServerShellTests {
    /// Services over the shared Dacun store, read-only; `writable`: over a copy of it, for a test
    /// whose answers carry personal data (the audit log must be able to take their entries).
    static func services(writable: Bool = false) throws -> ServerServices {
        let path = writable ? try DacunStore.writableCopy().path : try DacunStore.shared().path
        let settings = ServerSettings(stores: TownStores(path: path, readOnly: !writable))
        return ServerServices(settings: settings, town: try TownService(stores: settings.stores))
    }

    @Test("/healthz answers 200 with the town's code and name")
    func healthAnswersWithTheTown() async throws {
        let app = Application(router: GridMapServer.router(try Self.services()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let health = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(health?["status"] as? String == "ok")
                #expect(health?["town"] as? String == "DC")
                #expect(health?["name"] as? String == "大村镇")
            }
        }
    }

    @Test("an unknown path is answered 404 with an RFC 9457 problem document")
    func unknownPathIsAProblemDocument() async throws {
        let app = Application(router: GridMapServer.router(try Self.services()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/no/such/thing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(problem?["status"] as? Int == 404)
                #expect(problem?["title"] as? String == "Not Found")
                #expect(problem?["type"] as? String == "about:blank")
            }
        }
    }

    @Test("each job error kind is answered with the status that fits it")
    func jobErrorKindsHaveTheirStatuses() {
        #expect(ProblemDocument(JobError.invalidRequest("x")).status == 400)
        #expect(ProblemDocument(JobError.notFound("x")).status == 404)
        #expect(ProblemDocument(JobError.forbidden("x")).status == 403)
        #expect(ProblemDocument(JobError.conflict("x")).status == 409)
        #expect(ProblemDocument(JobError(.rejected, "x", details: ["a.csv:3: bad"])).status == 422)
        #expect(ProblemDocument(JobError(.rejected, "x", details: ["a.csv:3: bad"])).errors == ["a.csv:3: bad"])
        #expect(ProblemDocument(JobError(.failed, "x")).status == 500)
    }

    @Test("a real server on a free port answers, logs each request as one JSON line in a 0600 file, and stops cleanly on SIGTERM")
    func realServerLogsAndStops() async throws {
        let log = try temporaryFolder().appendingPathComponent("access.jsonl")
        // The request's time lies between these two, whatever the machine's load: a bound in
        // seconds would fail when the test's task waits its turn for minutes on a busy CI machine.
        let before = Date.now.addingTimeInterval(-1)
        let server = try ServerProcess(["--db", try DacunStore.shared().path, "--read-only", "--access-log", log.path])
        let health = try await server.request("healthz")
        let missing = try await server.request("nothing-here")
        let (status, stderr) = server.stop()
        let after = Date.now.addingTimeInterval(1)
        #expect(health.status == 200)
        #expect(missing.status == 404)
        #expect(status == 0, "exit status after SIGTERM; stderr: \(stderr)")
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["path"] as? String == "/healthz")
        #expect(first?["status"] as? Int == 200)
        #expect(first?["method"] as? String == "GET")
        // The time in UTC to the second, as ISO 8601 writes it, and the time of the request.
        let time = try #require(first?["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(time)")
        let logged = try #require(try? Date(time, strategy: .iso8601))
        #expect(before <= logged && logged <= after, "\(time) not between \(before) and \(after)")
        let second = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any]
        #expect(second?["status"] as? Int == 404)
        let mode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a read-only server answers a posted batch without an audit error in its log: nothing could have changed")
    func readOnlyBatchIsNotAnAuditError() async throws {
        let server = try ServerProcess(["--db", try DacunStore.shared().path, "--read-only", "--access-log", "/dev/null"])
        let batch = try await server.request("jobs/locate", method: "POST", body: Data("id,lon,lat\na,119.8,35.9\n".utf8),
                                             headers: ["Content-Type": "text/csv"])
        let (status, stderr) = server.stop()
        #expect(batch.status == 200)
        #expect(status == 0)
        #expect(!stderr.contains("audit log"), "\(stderr)")
    }

    @Test("a port already taken is a clear error, not a crash")
    func takenPortIsAClearError() async throws {
        let first = try ServerProcess(["--db", try DacunStore.shared().path, "--read-only"])
        defer { first.stop() }
        let port = first.url.port ?? 0
        let second = Process()
        second.executableURL = Repository.gridmap
        second.arguments = ["serve", "--port", "\(port)", "--db", try DacunStore.shared().path, "--read-only"]
        let errors = Pipe()
        second.standardError = errors
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        second.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(second.terminationStatus == 2)
        #expect(message.contains("Cannot serve on 127.0.0.1:\(port)"), "\(message)")
    }
}
