import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GridMapApp
import GridMapServer
import Synchronization

/// The repository's folders, found from this file.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let dacun = root.appendingPathComponent("geodata/dacun")
    /// The `gridmap` executable SwiftPM built beside the test bundle.
    static var gridmap: URL {
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("gridmap")
    }
}

/// A Dacun store made once per test process by `gridmap import`, and copied for each test that
/// writes (``writableCopy()``), so tests never share writes.
enum DacunStore {
    private static let made = Mutex<Result<URL, TestSetupError>?>(nil)

    /// The shared store: read it, never write it.
    static func shared() throws -> URL {
        try made.withLock { made in
            if let made { return try made.get() }
            let result = Result { () throws(TestSetupError) -> URL in try importDacun() }
            made = result
            return try result.get()
        }
    }

    /// A fresh copy of the shared store, in its own folder, for a test that writes.
    static func writableCopy() throws -> URL {
        let folder = try temporaryFolder()
        let copy = folder.appendingPathComponent("dacun.sqlite")
        try FileManager.default.copyItem(at: shared(), to: copy)
        return copy
    }

    private static func importDacun() throws(TestSetupError) -> URL {
        do {
            let db = try temporaryFolder().appendingPathComponent("dacun.sqlite")
            let process = Process()
            process.executableURL = Repository.gridmap
            process.arguments = ["import", Repository.dacun.path, "--db", db.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw TestSetupError("gridmap import of Dacun exited \(process.terminationStatus)") }
            return db
        } catch let error as TestSetupError {
            throw error
        } catch {
            throw TestSetupError("gridmap import of Dacun: \(error)")
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A new temporary folder (left for the system to clean: a failed test's files help find why).
func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-server-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// A real `gridmap serve` process on a free loopback port, for the clients nobody here wrote
/// (GDAL, OWSLib, a browser) and for what only a real process shows (signals, the access log).
/// ``stop()`` sends SIGTERM and waits; the tests call it in `defer`.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    /// e.g. http://127.0.0.1:41234/
    let url: URL
    private let errors = Pipe()

    /// Starts `gridmap serve --port 0` with `arguments` (`--db …`) and waits for its announcement.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = Repository.gridmap
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The announcement is one line: "gridmap serve: serving at http://127.0.0.1:PORT/ (Ctrl-C stops)".
        var seen = Data()
        while !seen.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let line = String(decoding: seen, as: UTF8.self)
        guard let range = line.range(of: #"http://[^ ]+/"#, options: .regularExpression), let url = URL(string: String(line[range])) else {
            process.terminate()
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestSetupError("gridmap serve did not announce an address; it said: \(line) \(stderr)")
        }
        self.url = url
    }

    /// SIGTERM, then waits for the exit; returns the exit status and what it wrote on standard error.
    @discardableResult
    func stop() -> (status: Int32, stderr: String) {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stderr)
    }

    /// GET (or another method) `path` relative to the server, with the body and status.
    func request(_ path: String, method: String = "GET", body: Data? = nil, headers: [String: String] = [:]) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: URL(string: path, relativeTo: url)!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestSetupError("not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return (http.statusCode, fields, data)
    }
}

/// A client program run to its end without holding a thread meanwhile (the server under test, in
/// this process or another, answers it), its output kept in files so that no pipe fills and blocks it.
enum ChildProcess {
    static func run(_ executable: URL, _ arguments: [String]) async throws -> (status: Int32, stdout: Data, stderr: String) {
        let folder = try temporaryFolder()
        let (output, errors) = (folder.appendingPathComponent("stdout"), folder.appendingPathComponent("stderr.txt"))
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // In its own folder: a client that leaves files behind (schemathesis's .schemathesis/)
        // leaves them there, not in the repository.
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in done.resume() }
            do { try process.run() } catch {
                process.terminationHandler = nil
                done.resume(throwing: error)
            }
        }
        return (process.terminationStatus, try Data(contentsOf: output), (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
    }
}
