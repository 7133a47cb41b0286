import ArgumentParser
import GridMapCore
import GridStore

/// The stored town and its ``Atlas``, built once per command run: `locate` and `nearest` query
/// the same immutable snapshot rather than the store row by row.
struct TownAtlas {
    let data: TownData
    let atlas: Atlas

    /// Loads the town named by `--db` (or the default store) and indexes it.
    init(_ options: StoreOptions) throws {
        data = try Self.load(options).data
        do {
            atlas = try Atlas(data)
        } catch {
            throw ValidationError("Cannot index the town: \(error)")
        }
    }

    /// The store named by `--db` (or the default store) and the town it holds.
    static func load(_ options: StoreOptions) throws -> (store: SQLiteTownStore, data: TownData) {
        let store = try options.openTownStore()
        guard let data = try store.loadTown() else { throw ValidationError("The store holds no town.") }
        return (store, data)
    }
}
