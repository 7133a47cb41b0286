import ArgumentParser
import GridMapCore
import GridStore

/// The stored town and its ``Atlas``, built once per command run: `locate` and `nearest` query
/// the same immutable snapshot rather than the store row by row.
struct TownAtlas {
    let data: TownData
    let atlas: Atlas

    /// Loads the town named by `--db` (or the default store) and indexes it. `parts` says which
    /// of features and residents the command needs: locating needs neither, so leaving them out
    /// saves most of the start-up.
    init(_ options: StoreOptions, loading parts: TownParts = .all) throws {
        try self.init(data: Self.load(options, parts).data)
    }

    /// Indexes `data`. With `kinds`, only features of those kinds go into the atlas's nearest
    /// indexes (building them for every kind costs start-up a one-kind query does not need);
    /// ``data`` keeps them all.
    init(data: TownData, indexing kinds: Set<FeatureKind>? = nil) throws {
        self.data = data
        var indexed = data
        if let kinds { indexed.features = data.features.filter { kinds.contains($0.kind) } }
        do {
            atlas = try Atlas(indexed)
        } catch {
            throw ValidationError("Cannot index the town: \(error)")
        }
    }

    /// The store named by `--db` (or the default store) and the town it holds (only `parts` of
    /// its features and residents).
    static func load(_ options: StoreOptions, _ parts: TownParts = .all) throws -> (store: any TownStore, data: TownData) {
        let store = try options.openTownStore()
        guard let data = try store.loadTown(parts) else { throw ValidationError("The store holds no town.") }
        return (store, data)
    }
}
