import GeoJSON

/// Why a store operation failed: every ``TownStore`` method throws this and nothing else.
///
/// Each case says what went wrong and where (the file, the table and row, the area asked for),
/// so that the message alone is enough to act on.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The import's data has problems and the store is unchanged; ``ImportError`` lists every
    /// problem with its layer, index and id.
    case rejected(ImportError)
    /// A filter or request names something the store does not hold, e.g. "grid DC-077".
    case notFound(String)
    /// A stored value could not be read back (a broken WKB, a code that no longer parses), named
    /// by table, row and column: the data was changed behind the store's back.
    case corrupt(String)
    /// The store could not be opened or migrated (unreadable, not SQLite, not a GridMap store,
    /// a table or column missing).
    case cannotOpen(path: String, reason: String)
    /// The file was written by a newer GridMap: it records the migration `stored`, which this
    /// GridMap does not know (it knows up to `known`). The file is left untouched.
    case newerSchema(path: String, stored: String, known: String)
    /// The store will not take an import, and nothing was changed: `reason` says why (open
    /// read-only, another import running, tables or columns an import would lose).
    case importRefused(String)
    /// The database refused or failed an operation (a constraint, a full disk, a locked file);
    /// `operation` says what the store was doing, `reason` is the database's own message.
    case database(operation: String, reason: String)
    /// This kind of store does not keep `what` yet (the PostgreSQL store's event log, say):
    /// nothing was read or changed.
    case unsupported(what: String, store: String)

    public var description: String {
        switch self {
        case .rejected(let error): error.description
        case .notFound(let detail): "not found: \(detail)"
        case .corrupt(let detail): "store is corrupt: \(detail)"
        case .cannotOpen(let path, let reason): "cannot open store \(path): \(reason)"
        case .newerSchema(let path, let stored, let known):
            "\(path) was written by a newer GridMap (schema '\(stored)'); this GridMap knows up to '\(known)'; nothing was changed"
        case .importRefused(let reason): "\(reason); nothing was changed"
        case .database(let operation, let reason): "store failed while \(operation): \(reason)"
        case .unsupported(let what, let store): "\(store) does not keep \(what) yet; nothing was changed"
        }
    }

    /// Runs `body`, turning any failure that is not already a ``StoreError`` into
    /// ``database(operation:reason:)`` for `operation` (e.g. "reading features").
    static func wrapping<T>(_ operation: @autoclosure () -> String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation: operation(), reason: "\(error)")
        }
    }
}

/// Why ``TownStore/exportLayer(_:in:people:to:options:)`` stopped: the store could not be read, or
/// the GeoJSON could not be written to its sink.
public enum ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    case store(StoreError)
    case output(GeoJSONError)

    public var description: String {
        switch self {
        case .store(let error): error.description
        case .output(let error): "cannot write the export: \(error)"
        }
    }
}
