/// Why a GEOS operation failed.
public enum GEOSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input was rejected in Swift before reaching GEOS; the text says what and where
    /// (e.g. "linear ring 0 of polygon is not closed: first (0, 0) ≠ last (1, 1)").
    case invalidInput(String)
    /// GEOS reported an error; `message` is GEOS's own text from its error message handler
    /// (or, when GEOS failed without a message, which C call failed).
    case library(message: String)

    public var description: String {
        switch self {
        case .invalidInput(let text): "invalid input: \(text)"
        case .library(let message): "GEOS: \(message)"
        }
    }
}
