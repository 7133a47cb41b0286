import Foundation
import GridMapApp
import GridMapCore
@testable import GridMapServer
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// What the features tests share: the Dacun store with the year's events recorded (made once per
/// test process), routers over it with a chosen viewer, and JSON reading.
enum FeaturesFixture {
    private static let made = Mutex<Result<URL, TestSetupError>?>(nil)

    /// A copy of the shared Dacun store with `geodata/dacun-events.jsonl` recorded (`gridmap event
    /// import`): 76 events, some about residents, and the year's activities. Read it, never write it.
    static func storeWithEvents() throws -> URL {
        try made.withLock { made in
            if let made { return try made.get() }
            let result = Result { () throws(TestSetupError) -> URL in
                do {
                    let copy = try DacunStore.writableCopy()
                    try run(["event", "import", Repository.root.appendingPathComponent("geodata/dacun-events.jsonl").path, "--db", copy.path])
                    return copy
                } catch let error as TestSetupError {
                    throw error
                } catch {
                    throw TestSetupError("a Dacun store with events: \(error)")
                }
            }
            made = result
            return try result.get()
        }
    }

    /// Runs the built `gridmap` with `arguments`, failing on a non-zero exit.
    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = Repository.gridmap
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestSetupError("gridmap \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
    }

    private static let servicesMade = Mutex<ServerServices?>(nil)

    /// The services over ``storeWithEvents()``, made once (reading the town takes a moment).
    static func services() throws -> ServerServices {
        try servicesMade.withLock { made in
            if let made { return made }
            let settings = ServerSettings(stores: TownStores(path: try storeWithEvents().path, readOnly: true))
            let services = ServerServices(settings: settings, town: try TownService(stores: settings.stores))
            made = services
            return services
        }
    }

    /// A router with the features routes, answering as `viewer` (set by a test middleware where
    /// the accounts' authentication will set it), and `notes` told what personal data each answer
    /// carried.
    static func router(as viewer: Viewer = .anonymous, services: ServerServices? = nil, notes: PersonalDataNotes? = nil) throws -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ProblemMiddleware<ServerContext>())
        router.add(middleware: ViewerMiddleware(viewer: viewer, notes: notes))
        GridMapServer.addFeatureRoutes(to: router, try services ?? Self.services())
        return router
    }

    static let office = Viewer(account: "office-test", role: .office, actor: nil)
    static func gridWorker(_ grid: String) -> Viewer {
        Viewer(account: "worker-\(grid)", role: .gridWorker(GridCode(grid)!), actor: nil)
    }
}

/// Sets the request's viewer, as the authentication middleware will, and collects the personal
/// data each answer noted.
struct ViewerMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let viewer: Viewer
    let notes: PersonalDataNotes?

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        context.viewer = viewer
        let response = try await next(request, context)
        notes?.add(context.note.personalData)
        return response
    }
}

/// The personal data answers noted, for the tests of the audit's input.
final class PersonalDataNotes: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ more: [String]) { lines.withLock { $0 += more } }
    var all: [String] { lines.withLock { $0 } }
}

/// A response's body as JSON.
struct JSONBody {
    let object: [String: Any]

    init(_ response: TestResponse) throws {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        object = try #require(value as? [String: Any], "not a JSON object: \(String(buffer: response.body))")
    }

    subscript(key: String) -> Any? { object[key] }
    var features: [[String: Any]] { object["features"] as? [[String: Any]] ?? [] }
    var ids: [String] { features.compactMap { $0["id"] as? String } }
    var links: [[String: Any]] { object["links"] as? [[String: Any]] ?? [] }
    func link(_ rel: String) -> String? { links.first { $0["rel"] as? String == rel }?["href"] as? String }
    var numberMatched: Int? { object["numberMatched"] as? Int }
    var numberReturned: Int? { object["numberReturned"] as? Int }
}

extension TestClientProtocol {
    /// GET `uri`, answered with its status and body.
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}
