import GridMapCore
import GridStore

/// A stored town read into memory with its ``Atlas``, built once per job: locating and nearest
/// queries ask the same immutable snapshot rather than the store row by row.
public struct LoadedTown: Sendable {
    public let data: TownData
    public let atlas: Atlas

    /// Reads the town from `store`: only `parts` of its features and residents (locating needs
    /// neither, and leaving them out saves most of the start-up).
    public static func data(from store: any TownStore, _ parts: TownParts = .all) throws(JobError) -> TownData {
        let loaded = try asJobError { try store.loadTown(parts) }
        guard let data = loaded else {
            throw .invalidRequest("The store holds no town.")
        }
        return data
    }

    /// Indexes `data`. With `kinds`, only features of those kinds go into the atlas's nearest
    /// indexes (building them for every kind costs start-up a one-kind query does not need);
    /// ``data`` keeps them all.
    public init(data: TownData, indexing kinds: Set<FeatureKind>? = nil) throws(JobError) {
        self.data = data
        var indexed = data
        // (A town read for these kinds alone is indexed as it is: a copy of a million features is
        // memory a nearest query does not need.)
        if let kinds, !data.features.allSatisfy({ kinds.contains($0.kind) }) {
            indexed.features = data.features.filter { kinds.contains($0.kind) }
        }
        atlas = try asJobError(.invalidRequest, "Cannot index the town") { try Atlas(indexed) }
    }

    /// Reads `parts` of the town from `store` and indexes it.
    public init(store: any TownStore, loading parts: TownParts = .all) throws(JobError) {
        try self.init(data: Self.data(from: store, parts))
    }
}
