import GridMapCore
import GridStore

/// A town kept open for a long-running shell (the server): its store, the town read and indexed
/// once (for locating and nearest answers without a store read per request), and the event desk.
///
/// Every member is safe to use from many requests at once: the store serialises its own writes
/// (SQLite in WAL mode: readers never wait for the writer), the atlas is immutable, the desk
/// is a value over the store. What is read into ``town`` is the town as it was when the service
/// opened: a re-import while it runs is seen after a restart.
public struct TownService: Sendable {
    public let store: any TownStore
    /// The town's grids, micro-grids, features and team, indexed (no residents: they are read
    /// from the store per request, through the reader's ``Disclosure``).
    public let town: LoadedTown
    public let desk: EventDesk

    /// Opens the store `stores` names (the default store is built on first use, as for the
    /// command line) and reads the town.
    public init(stores: TownStores) throws(JobError) {
        let store = try stores.open()
        try self.init(store: store)
    }

    public init(store: any TownStore) throws(JobError) {
        self.store = store
        town = try LoadedTown(store: store, loading: .features)
        desk = try EventDesk(store: store)
    }

    /// The town's name, e.g. 大村镇.
    public var name: String { town.data.town.name }
}
