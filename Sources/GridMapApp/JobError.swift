/// Why a job could not do what it was asked, in the words a person needs.
///
/// Every job of the application layer throws this (the libraries' own errors are caught and
/// worded where the job knows what was being done). The command line turns ``kind`` into its exit
/// status and the message into its error line in one place (`GridMapCommand.main`); the server
/// turns it into an HTTP status and a problem document in one place (`ProblemDocument`).
public struct JobError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The request names something the town does not have, or a value out of range (an
        /// unknown grid, kind or category; --radius -1). Command line: exit status 64.
        case invalidRequest
        /// The request names one thing that does not exist (an event id, a user, a feature id):
        /// the command line treats it as ``invalidRequest``; the server answers 404.
        case notFound
        /// The reader's role may not do or see this (the public asking for residents, a grid
        /// worker for another grid, a department acting on another's part): command line as
        /// ``invalidRequest``; the server answers 403.
        case forbidden
        /// The request is well formed but does not apply to the current state (an event action
        /// its state does not allow, a user who exists already): command line as
        /// ``invalidRequest``; the server answers 409.
        case conflict
        /// An input cannot be opened or read, a CRS is unknown, a header lacks a column: the
        /// job could not start. Command line: exit status 2.
        case cannotStart
        /// The data has problems and nothing was changed (a rejected import lists every
        /// problem in ``JobError/details``). Command line: exit status 1.
        case rejected
        /// The store or a library failed underneath the job (a corrupt store, a GEOS or PROJ
        /// failure on good input). Command line: exit status 1.
        case failed
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
    /// The one thing the request names does not exist (404 from the server).
    public static func notFound(_ message: String) -> JobError { JobError(.notFound, message) }
    /// The reader's role may not do or see this (403 from the server).
    public static func forbidden(_ message: String) -> JobError { JobError(.forbidden, message) }
    /// The request does not apply to the current state (409 from the server).
    public static func conflict(_ message: String) -> JobError { JobError(.conflict, message) }
    /// An input or setting keeps the job from starting (exit status 2).
    public static func cannotStart(_ message: String) -> JobError { JobError(.cannotStart, message) }

    /// A library's or the store's failure while `doing` something, as a ``Kind/failed`` error; a
    /// `JobError` passes through unchanged.
    public static func failed(_ error: any Error, while doing: String? = nil) -> JobError {
        if let error = error as? JobError { return error }
        return JobError(.failed, doing.map { "\($0): \(error)" } ?? "\(error)")
    }

    public var description: String { ([message] + details).joined(separator: "\n") }
}

/// Runs `body`, turning any error it throws that is not already a ``JobError`` into one of
/// `kind`, worded as "`doing`: error" (or the error alone when `doing` is nil).
func asJobError<T>(_ kind: JobError.Kind = .failed, _ doing: String? = nil, _ body: () throws -> T) throws(JobError) -> T {
    do {
        return try body()
    } catch let error as JobError {
        throw error
    } catch {
        throw JobError(kind, doing.map { "\($0): \(error)" } ?? "\(error)")
    }
}
