import Synchronization

/// Connections to one database, each lent to one caller at a time: the pool is what a store
/// shares between threads, never a connection. Idle connections are kept for the next caller; a
/// connection that comes back broken or inside a transaction is closed instead.
public final class PostgresPool: Sendable {
    /// The libpq connection string or URI every connection is opened with.
    public let conninfo: String
    private let idle = Mutex<[Lent]>([])
    /// How many idle connections are kept (more are closed when they come back).
    private let keep: Int

    /// A connection on its way between callers. Only the pool moves it, and only while no caller
    /// holds it, which is what makes sending it across threads safe.
    private struct Lent: @unchecked Sendable {
        let connection: PostgresConnection
    }

    /// Opens one connection at once, so that a wrong address fails here rather than at first use.
    public init(_ conninfo: String, keep: Int = 8) throws(PostgresError) {
        self.conninfo = conninfo
        self.keep = keep
        let first = try PostgresConnection(conninfo)
        idle.withLock { $0.append(Lent(connection: first)) }
    }

    /// Closes every idle connection: after one was found broken, the others most likely lead to
    /// the same server that went away, and the next callers should open new ones.
    public func closeIdle() {
        // Taken out under the lock, closed (by being let go) after it.
        let closing = idle.withLock { idle -> [Lent] in
            let all = idle
            idle.removeAll()
            return all
        }
        withExtendedLifetime(closing) {}
    }

    /// Runs `body` with a connection of its own, opened if none is idle.
    public func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() }?.connection ?? PostgresConnection(conninfo)
        defer {
            if connection.isIdle {
                let lent = Lent(connection: connection)
                idle.withLock { if $0.count < keep { $0.append(lent) } }
            }
        }
        return try body(connection)
    }
}
