import ArgumentParser
import GridMapApp
import GridMapCore
import GridStore

/// The stored town and its ``Atlas`` for the commands not yet moved onto ``LoadedTown``.
struct TownAtlas {
    let data: TownData
    let atlas: Atlas

    init(_ options: StoreOptions, loading parts: TownParts = .all) throws {
        try self.init(data: Self.load(options, parts).data)
    }

    init(data: TownData, indexing kinds: Set<FeatureKind>? = nil) throws {
        let town = try LoadedTown(data: data, indexing: kinds)
        (self.data, atlas) = (town.data, town.atlas)
    }

    static func load(_ options: StoreOptions, _ parts: TownParts = .all) throws -> (store: any TownStore, data: TownData) {
        let store = try options.openTownStore()
        return (store, try LoadedTown.data(from: store, parts))
    }
}
