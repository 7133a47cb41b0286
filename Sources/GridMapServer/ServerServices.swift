import GridMapApp
import Hummingbird
import NIOCore

/// What every route shares: the settings and the open town. One per server, made before it
/// listens; immutable afterwards.
public struct ServerServices: Sendable {
    public let settings: ServerSettings
    public let town: TownService
    /// The served store's accounts, sessions and audit log.
    public let accounts: Accounts
    /// The district whose town is served (`--db DISTRICT --town CODE`), for the `/district`
    /// routes; nil when the store is a town store.
    public let district: DistrictService?

    /// `accounts` defaults to the town's, with bcrypt's default cost and the system clock.
    public init(settings: ServerSettings, town: TownService, accounts: Accounts? = nil, district: DistrictService? = nil) {
        self.settings = settings
        self.town = town
        self.accounts = accounts ?? Accounts(service: town)
        self.district = district
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
