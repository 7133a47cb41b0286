import ArgumentParser
import Foundation
import GridMapApp
import GridMapServer

/// `gridmap serve`: the town over HTTP, for the browser and for standard clients.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the town over HTTP: the web map, OGC API – Features, Open311 and the jobs.",
        discussion: """
            Listens on 127.0.0.1:8080 unless told otherwise, and serves the store until \
            Ctrl-C or SIGTERM, then finishes the requests in flight. Each setting can also be \
            given in the environment: GRIDMAP_HOST, GRIDMAP_PORT, GRIDMAP_DB, GRIDMAP_ACCESS_LOG \
            (a flag wins).

            The access log has one JSON object per request (time, method, path, status, ms, \
            account) on standard error, or appended to --access-log FILE.

            Examples:
              gridmap serve
              gridmap serve --db dacun.sqlite --port 8081 --access-log access.jsonl
              curl http://127.0.0.1:8080/healthz
            """)

    @Option(help: ArgumentHelp("The address to listen on (default: $GRIDMAP_HOST, else 127.0.0.1, this machine only).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("The port (default: $GRIDMAP_PORT, else 8080; 0 picks a free one, announced on standard output).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Append the access log to this file (created 0600) instead of standard error (default: $GRIDMAP_ACCESS_LOG).", valueName: "file"))
    var accessLog: String?

    @Option(help: ArgumentHelp("The largest request body accepted, in MiB; larger gets 413.", valueName: "MiB"))
    var maxBody: Int = ServerSettings.defaultMaxRequestBytes >> 20

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port \(port): a port is 0 to 65535.") }
        if let text = ProcessInfo.processInfo.environment["GRIDMAP_PORT"], port == nil,
           Int(text).map({ (0...65535).contains($0) }) != true {
            throw ValidationError("GRIDMAP_PORT=\(text): a port is 0 to 65535.")
        }
        guard (1...1024).contains(maxBody) else { throw ValidationError("--max-body \(maxBody): say 1 to 1024 MiB.") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let settings = ServerSettings(
            host: host ?? environment["GRIDMAP_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? ServerSettings.defaultHost,
            port: port ?? environment["GRIDMAP_PORT"].flatMap { Int($0) } ?? ServerSettings.defaultPort,
            stores: store.stores,
            accessLog: accessLog ?? environment["GRIDMAP_ACCESS_LOG"].flatMap { $0.isEmpty ? nil : $0 },
            maxRequestBytes: maxBody << 20)
        do {
            try await GridMapServer.run(settings) { address in
                let line = "gridmap serve: serving at \(address) (Ctrl-C stops)"
                do { try StandardOutput.write(line + "\n") } catch { StandardError.write(line) }
            }
        } catch let error as JobError {
            throw error
        } catch {
            throw JobError.cannotStart("Cannot serve on \(settings.host):\(settings.port): \(error)")
        }
    }
}
