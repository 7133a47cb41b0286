/// Why a job could not do what it was asked, in the words a person needs.
///
/// Every job of the application layer throws this (the libraries' own errors are caught and
/// worded where the job knows what was being done). The command line turns ``kind`` into its exit
/// status and the message into its error line in one place (`GridMapCommand.main`); the server
/// will turn it into an HTTP status the same way.
public struct JobError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The request names something the town does not have, or a value out of range (an
        /// unknown grid, kind or category; --radius -1). Command line: exit status 64.
        case invalidRequest
        /// An input cannot be opened or read, a CRS is unknown, a header lacks a column: the
        /// job could not start. Command line: exit status 2.
        case cannotStart
        /// The data has problems and nothing was changed (a rejected import lists every
        /// problem in ``JobError/details``). Command line: exit status 1.
        case rejected
    }

    public var kind: Kind
    public var message: String
    /// Further lines, one per problem, after the message.
    public var details: [String]

    public init(_ kind: Kind, _ message: String, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    /// The request is not one the town can answer (exit status 64).
    public static func invalidRequest(_ message: String) -> JobError { JobError(.invalidRequest, message) }
    /// An input or setting keeps the job from starting (exit status 2).
    public static func cannotStart(_ message: String) -> JobError { JobError(.cannotStart, message) }

    public var description: String { ([message] + details).joined(separator: "\n") }
}
