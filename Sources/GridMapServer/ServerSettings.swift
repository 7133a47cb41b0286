import Foundation
import GridMapApp

/// How `gridmap serve` runs: where it listens, which store it serves and its limits. Every
/// setting has a flag and an environment variable (`GRIDMAP_HOST`, `GRIDMAP_PORT`, `GRIDMAP_DB`,
/// `GRIDMAP_ACCESS_LOG`); a flag wins over the environment, the environment over the default.
public struct ServerSettings: Sendable {
    /// The address to listen on. Loopback by default: serving the town's personal data to the
    /// network is a decision someone takes by naming an address, behind a TLS proxy.
    public var host: String
    /// The port; 0 asks the system for a free one (the tests do), announced once listening.
    public var port: Int
    /// The store served.
    public var stores: TownStores
    /// Where the access log goes, one JSON object per request; nil: standard error.
    public var accessLog: String?
    /// The largest request body accepted (a batch of points, a ledger): larger gets 413.
    public var maxRequestBytes: Int
    /// How long a connection may stay idle before the server closes it.
    public var idleTimeout: Duration

    public static let defaultHost = "127.0.0.1"
    public static let defaultPort = 8080
    public static let defaultMaxRequestBytes = 16 << 20

    public init(host: String = defaultHost, port: Int = defaultPort, stores: TownStores, accessLog: String? = nil,
                maxRequestBytes: Int = defaultMaxRequestBytes, idleTimeout: Duration = .seconds(60)) {
        self.host = host
        self.port = port
        self.stores = stores
        self.accessLog = accessLog
        self.maxRequestBytes = maxRequestBytes
        self.idleTimeout = idleTimeout
    }
}
