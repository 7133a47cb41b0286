/// Why a PostgreSQL operation failed: the server's SQLSTATE (`23505` for a unique violation,
/// `40001` for a serialization failure, …) when it sent one, and its message, with what the
/// client was doing. Connection failures and values read as the wrong type have no SQLSTATE.
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The five-character SQLSTATE code; nil when the failure did not come from the server.
    public var sqlState: String?
    /// The server's (or libpq's) message, on one line.
    public var message: String
    /// The server's detail line, when it sent one (which key a unique violation repeats, say).
    public var detail: String?

    public init(sqlState: String?, message: String, detail: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
    }

    /// The class of unique violations (`23505`).
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// A failure that the same transaction may succeed on when run again (`40001`, `40P01`).
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    public var description: String {
        var text = sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message
        if let detail { text += ": \(detail)" }
        return text
    }
}
