import GridMapApp
import Hummingbird
import NIOCore

/// What every route shares: the settings and the open town. One per server, made before it
/// listens; immutable afterwards.
public struct ServerServices: Sendable {
    public let settings: ServerSettings
    public let town: TownService

    public init(settings: ServerSettings, town: TownService) {
        self.settings = settings
        self.town = town
    }

    /// The request's body, whole, refused with 413 past ``ServerSettings/maxRequestBytes``.
    public func body(of request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: settings.maxRequestBytes)
        } catch is NIOTooManyBytesError {
            // What `collect(upTo:)` throws past the limit (an HTTPError never reached here).
            throw ProblemDocument(status: .contentTooLarge, detail: "The request body is larger than the server's limit of \(settings.maxRequestBytes) bytes.")
        }
    }
}
