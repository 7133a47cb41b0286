import Foundation
import Postgres

/// The PostgreSQL server the tests use: `$GRIDMAP_TEST_POSTGRES` (a libpq URI; tools/test starts
/// one cluster for the whole run and exports it), or else a throw-away cluster started once for
/// this test process by tools/test-postgres, which removes it when the process exits. Each store
/// under test gets a schema of its own, so that tests running in parallel never meet.
public enum TestPostgres {
    /// The cluster's URI, with PostGIS created in its `postgres` database.
    public static func clusterURI() throws -> String {
        try cluster.get()
    }

    /// A URI whose connections work in a new, empty schema (then in `public`, where PostGIS is).
    public static func freshSchema() throws -> String {
        let uri = try clusterURI()
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try PostgresConnection(uri).script("CREATE SCHEMA \(schema)")
        return uri + "&options=-csearch_path%3D\(schema)%2Cpublic"
    }

    private static let cluster: Result<String, any Error> = Result {
        let uri: String
        if let given = ProcessInfo.processInfo.environment["GRIDMAP_TEST_POSTGRES"], !given.isEmpty {
            uri = given
        } else {
            uri = try start()
        }
        let connection = try PostgresConnection(uri)
        do {
            try connection.script("CREATE EXTENSION IF NOT EXISTS postgis")
        } catch let error as PostgresError where error.isUniqueViolation {
            // Another test process made it at the same moment.
        }
        return uri
    }

    /// A primary and a hot standby streaming from it, started for the caller alone (each test
    /// that needs one makes its own, since it stops and starts them): the URI naming both,
    /// primary first, and each one's folder, for ``pause(_:)`` and ``resume(_:)``. They are
    /// removed when this process exits, or by ``stop(_:)``.
    public static func startPair() throws -> (uri: String, primary: String, standby: String) {
        let uri = try script("start-pair \(getpid())")
        guard let hosts = URLComponents(string: uri)?.queryItems?.first(where: { $0.name == "host" })?.value?.split(separator: ","),
              hosts.count == 2 else {
            throw TestClusterError(message: "tools/test-postgres start-pair printed \(uri), not a URI naming two servers")
        }
        return (uri, String(hosts[0]), String(hosts[1]))
    }

    /// Stops the server in `folder`, one of a pair's.
    public static func pause(_ folder: String) throws { _ = try script("pause '\(folder)'") }

    /// Starts the server in `folder` again.
    public static func resume(_ folder: String) throws { _ = try script("resume '\(folder)'") }

    /// Stops every server `uri` names and removes their folders.
    public static func stop(_ uri: String) throws { _ = try script("stop '\(uri)'") }

    /// Runs `tools/test-postgres start PID` for this process; its last line is the URI.
    private static func start() throws -> String {
        let uri = try script("start \(getpid())")
        guard uri.hasPrefix("postgresql://") else {
            throw TestClusterError(message: "tools/test-postgres start printed \(uri), not a URI")
        }
        return uri
    }

    /// Runs tools/test-postgres with `arguments` and gives its last line of output. Through
    /// `popen`, which waits for the script itself: Foundation's `Process` left it unreaped and
    /// `waitUntilExit` waiting, under the test runner.
    private static func script(_ arguments: String) throws -> String {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/test-postgres").path
        guard let pipe = popen("'\(script)' \(arguments)", "r") else {
            throw TestClusterError(message: "cannot run \(script): \(String(cString: strerror(errno)))")
        }
        var output = ""
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), pipe) != nil {
            output += String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let status = pclose(pipe)
        guard status == 0 else {
            throw TestClusterError(message: "\(script) \(arguments) failed (status \(status)); its messages are on standard error")
        }
        return output.split(separator: "\n").last.map(String.init) ?? ""
    }
}

struct TestClusterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
