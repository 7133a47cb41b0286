/// Failures of the store itself, as opposed to problems in imported data (``ImportError``).
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stored value could not be read back (a broken WKB, a code that no longer parses): the
    /// file was changed behind the store's back.
    case corrupt(String)
    /// A filter or request names something the store does not hold.
    case notFound(String)
    /// The file could not be opened or migrated (unreadable, not SQLite, newer schema).
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let detail): "store is corrupt: \(detail)"
        case .notFound(let detail): "not found: \(detail)"
        case .cannotOpen(let path, let reason): "cannot open store \(path): \(reason)"
        }
    }
}
