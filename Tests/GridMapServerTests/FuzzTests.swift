import Foundation
import Testing

/// The whole API fuzzed from its own OpenAPI document (`/api`) by schemathesis (PyPI, from
/// tools/.venv-test) against a real `gridmap serve` on a writable copy of Dacun, for a bounded
/// time: once as the public, once with an office's bearer token (so that the personal answers
/// and the writes are reached too). Any server error (5xx) or any answer the document does not
/// describe (status, content type, headers, body schema) fails the test.
@Suite("The API fuzzed from its OpenAPI document by schemathesis", .serialized)
struct FuzzTests {
    static let schemathesis = Repository.root.appendingPathComponent("tools/.venv-test/bin/schemathesis")
    static let checks = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"

    /// Runs schemathesis for 90 seconds with two workers against a fresh server; its report on failure.
    static func fuzz(signedIn: Bool) async throws -> (status: Int32, report: String) {
        guard FileManager.default.isExecutableFile(atPath: schemathesis.path) else {
            throw TestSetupError("\(schemathesis.path) is missing: run tools/setup (schemathesis is in tools/test-requirements.txt)")
        }
        let store = try DacunStore.writableCopy()
        try TestAccounts.add(toStoreAt: store)
        let server = try ServerProcess(["--db", store.path, "--access-log", "/dev/null"])
        defer { server.stop() }
        var arguments = ["run", server.url.absoluteString + "api", "--url", String(server.url.absoluteString.dropLast()),
                         "--max-time", "90", "--workers", "2", "--checks", Self.checks, "--seed", "13",
                         "--request-timeout", "30", "--output-truncate", "false", "--no-color"]
        if signedIn {
            arguments += ["-H", "Authorization: Bearer \(try await server.token(TestAccounts.office))",
                          // Signing out would end the token the rest of the run signs in with.
                          "--exclude-path", "/auth/logout"]
        }
        let ran = try await ChildProcess.run(schemathesis, arguments)
        let stopped = server.stop()
        return (ran.status, String(decoding: ran.stdout, as: UTF8.self) + ran.stderr
                    + "\ngridmap serve exited \(stopped.status) and said:\n\(stopped.stderr.prefix(5_000))")
    }

    @Test("the public: no server error and no answer the document does not describe, in 90 seconds of fuzzing")
    func anonymous() async throws {
        let (status, report) = try await Self.fuzz(signedIn: false)
        #expect(status == 0, "\(report.suffix(20_000))")
    }

    @Test("an office's bearer token: no server error and no answer the document does not describe, in 90 seconds of fuzzing")
    func office() async throws {
        let (status, report) = try await Self.fuzz(signedIn: true)
        #expect(status == 0, "\(report.suffix(20_000))")
    }
}
