/// The first feature that uses each id, as one table of feature numbers (open addressing, linear
/// probing, at most half full), the ids compared in the features themselves: 4 bytes a slot where
/// a `[String: Int]` holds a copy of every id beside its index (50 MB for a million wells).
struct FeatureIDIndex {
    private let features: [MapFeature]
    /// A feature's index + 1, or 0 for an empty slot. A table of 4 billion features would not fit
    /// in memory long before its numbers overflow.
    private var slots: [UInt32]
    private let mask: Int

    init(_ features: [MapFeature]) {
        self.features = features
        var capacity = 16
        while capacity < 2 * features.count { capacity *= 2 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// The index of the feature recorded for `id`, if any.
    func firstIndex(of id: String) -> Int? {
        var slot = id.hashValue & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if features[index].id == id { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Records feature `index` as the first use of its id; the caller knows the id is new.
    mutating func insert(_ index: Int) {
        var slot = features[index].id.hashValue & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(index + 1)
    }
}
