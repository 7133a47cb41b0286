import CGEOS

/// An immutable Sort-Tile-Recursive R-tree (Leutenegger et al. 1997) over an array of
/// geometries, built once with `GEOSSTRtree_create_r` (node capacity 10) and freed with
/// `GEOSSTRtree_destroy_r`. Queries answer with indices into ``geometries``, sorted ascending.
///
/// Items stored in the tree are the integer `index + 1` cast into the `void*` item pointer
/// (`+ 1` so that item 0 is never NULL, which `GEOSSTRtree_nearest_generic_r` uses for "none").
/// The tree holds its geometries strongly, so they outlive the caller's array. Empty geometries
/// have no envelope and are never returned. Confined to its context's thread.
public final class STRtree {
    /// The predicate applied, after the envelope search, as `query.predicate(treeGeometry)`.
    public enum Predicate: Sendable, CaseIterable {
        case intersects, contains, containsProperly, covers, coveredBy, within, touches, crosses, overlaps
    }

    public let context: GEOSContext
    /// The indexed geometries, in the order given; query results index into this array.
    public let geometries: [GEOSGeometry]
    /// `geometries[i].handle`, contiguous, for the C distance callback.
    private let handles: [OpaquePointer]
    /// How many geometries are in the tree (the non-empty ones).
    public let indexedCount: Int
    /// The union of all indexed bounding boxes (nil when nothing is indexed).
    public let bounds: Envelope?
    private let tree: OpaquePointer

    /// Node capacity: GEOS's and Shapely's default; a capacity as large as the item count would
    /// make one giant leaf (Shapely PR #1064).
    public static let nodeCapacity = 10

    /// Builds the tree (`GEOSSTRtree_create_r`, `GEOSSTRtree_insert_r` per non-empty geometry).
    /// All geometries must belong to `context`.
    public init(_ geometries: [GEOSGeometry], context: GEOSContext) throws(GEOSError) {
        var total: Envelope?
        var indexed = 0
        for (index, geometry) in geometries.enumerated() {
            guard geometry.context === context else {
                throw .invalidInput("STRtree: geometry \(index) belongs to a different GEOS context")
            }
            guard let box = try geometry.bounds else { continue }
            indexed += 1
            total = total.map {
                Envelope(minX: min($0.minX, box.minX), minY: min($0.minY, box.minY),
                         maxX: max($0.maxX, box.maxX), maxY: max($0.maxY, box.maxY))
            } ?? box
        }
        let tree = try context.check(GEOSSTRtree_create_r(context.handle, Self.nodeCapacity), "GEOSSTRtree_create_r")
        self.context = context
        self.geometries = geometries
        self.handles = geometries.map(\.handle)
        self.indexedCount = indexed
        self.bounds = total
        self.tree = tree
        for (index, geometry) in geometries.enumerated() {
            GEOSSTRtree_insert_r(context.handle, tree, geometry.handle, Self.item(for: index))
        }
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, tree)
    }

    static func item(for index: Int) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: index + 1)
    }

    static func index(of item: UnsafeRawPointer?) -> Int {
        Int(bitPattern: item) - 1
    }

    // MARK: Envelope and predicate queries

    /// Indices of the geometries whose bounding boxes intersect `envelope` (`GEOSSTRtree_query_r`).
    public func query(envelope: Envelope) throws(GEOSError) -> [Int] {
        let box = try GEOSGeometry.rectangleHandle(envelope, context: context)
        defer { GEOSGeom_destroy_r(context.handle, box) }
        return try candidates(intersectingEnvelopeOf: box)
    }

    /// Indices of the geometries `g` for which `predicate(geometry, g)` holds: an envelope search,
    /// then the exact predicate with `geometry` prepared once (`GEOSPrepare_r`).
    public func query(_ geometry: GEOSGeometry, predicate: Predicate) throws(GEOSError) -> [Int] {
        guard geometry.context === context else {
            throw .invalidInput("STRtree query: the query geometry belongs to a different GEOS context")
        }
        if try geometry.isEmpty { return [] }
        let candidates = try candidates(intersectingEnvelopeOf: geometry.handle)
        if candidates.isEmpty { return [] }
        let prepared = try PreparedGeometry(geometry)
        var matches: [Int] = []
        for index in candidates where try prepared.test(predicate, geometries[index]) {
            matches.append(index)
        }
        return matches
    }

    /// `GEOSSTRtree_query_r` with the envelope of `geometry`, collecting item indices through the
    /// userdata pointer (C callbacks cannot capture).
    private func candidates(intersectingEnvelopeOf geometry: OpaquePointer) throws(GEOSError) -> [Int] {
        var found: [Int] = []
        try context.reportingErrors("GEOSSTRtree_query_r") {
            withUnsafeMutablePointer(to: &found) { foundPointer in
                GEOSSTRtree_query_r(context.handle, tree, geometry, { item, userData in
                    guard let userData else { return }
                    userData.assumingMemoryBound(to: [Int].self).pointee.append(STRtree.index(of: item))
                }, foundPointer)
            }
        }
        found.sort()
        return found
    }

    // MARK: Nearest neighbours

    /// The index of the geometry nearest to `geometry` (lowest index among equally near ones), or
    /// nil when the tree is empty or the nearest is farther than `maxDistance`.
    public func nearest(to geometry: GEOSGeometry, maxDistance: Double? = nil) throws(GEOSError) -> Int? {
        try nearest(to: geometry, k: 1, maxDistance: maxDistance).first?.index
    }

    /// The `k` geometries nearest to `geometry`, sorted by (distance, index), none farther than
    /// `maxDistance`.
    ///
    /// GEOS only offers 1-nearest, so this is an expanding-envelope search: the 1-nearest distance
    /// from `GEOSSTRtree_nearest_generic_r` seeds a radius r; all geometries whose boxes meet the
    /// query box grown by r get exact distances (`GEOSDistance_r`); since a geometry's distance is
    /// never less than its box's distance, every geometry within r is then known, and once at
    /// least `k` are within r (or r reached `maxDistance`, or every geometry was measured) the
    /// answer is exact. Otherwise r doubles.
    public func nearest(to geometry: GEOSGeometry, k: Int,
                        maxDistance: Double? = nil) throws(GEOSError) -> [(index: Int, distance: Double)] {
        guard k >= 0 else { throw .invalidInput("nearest: k must be ≥ 0, got \(k)") }
        if let maxDistance, !(maxDistance >= 0) {
            throw .invalidInput("nearest: maxDistance must be ≥ 0, got \(maxDistance)")
        }
        guard geometry.context === context else {
            throw .invalidInput("STRtree nearest: the query geometry belongs to a different GEOS context")
        }
        guard let queryBox = try geometry.bounds else { throw .invalidInput("nearest: the query geometry is empty") }
        guard k > 0, indexedCount > 0, let treeBox = bounds else { return [] }
        let limit = maxDistance ?? .infinity

        let seed = try nearestDistance(to: geometry)
        if seed > limit { return [] }

        var measured: [Int: Double] = [:]
        var radius = seed
        while true {
            let capped = min(radius, limit)
            // Grown a hair more than `capped`, so rounding never drops a geometry at exactly `capped`.
            let margin = capped + abs(capped) * 1e-12 + 1e-12 * Self.scale(of: queryBox, treeBox)
            let candidates = try query(envelope: queryBox.expanded(by: margin))
            for index in candidates where measured[index] == nil {
                measured[index] = try geometry.distance(to: geometries[index])
            }
            let within = measured.filter { $0.value <= capped }
            if within.count >= k || capped >= limit {
                return Self.ranked(within, k)
            }
            if candidates.count == indexedCount {
                return Self.ranked(measured.filter { $0.value <= limit }, k)
            }
            radius = radius > 0 ? radius * 2 : Self.initialStep(treeBox, indexedCount)
        }
    }

    /// The exact distance to the nearest indexed geometry, found with
    /// `GEOSSTRtree_nearest_generic_r` and a distance callback that calls `GEOSDistance_r`.
    private func nearestDistance(to geometry: GEOSGeometry) throws(GEOSError) -> Double {
        /// What the C callback needs, passed through its userdata pointer.
        struct Search {
            let context: GEOSContextHandle_t
            let query: OpaquePointer
            let handles: UnsafePointer<OpaquePointer>
        }
        let found: UnsafeRawPointer? = handles.withUnsafeBufferPointer { handleBuffer in
            var search = Search(context: context.handle, query: geometry.handle, handles: handleBuffer.baseAddress!)
            return withUnsafeMutablePointer(to: &search) { searchPointer in
                GEOSSTRtree_nearest_generic_r(
                    context.handle, tree, Self.queryItem, geometry.handle,
                    { item1, item2, distance, userData in
                        guard let userData, let distance else { return 0 }
                        let search = userData.assumingMemoryBound(to: Search.self).pointee
                        // One of the pair is the query item; the other is a tree item.
                        let treeItem = item1 == STRtree.queryItem ? item2 : item1
                        let index = STRtree.index(of: treeItem)
                        // Non-zero means success, as GEOSDistance_r's 1.
                        return GEOSDistance_r(search.context, search.query, search.handles[index], distance)
                    },
                    searchPointer)
            }
        }
        guard let found else { throw context.libraryError("GEOSSTRtree_nearest_generic_r") }
        return try geometry.distance(to: geometries[Self.index(of: found)])
    }

    /// The item pointer standing for the query geometry in the distance callback; tree items are
    /// `index + 1 ≥ 1`, so all-ones never collides.
    private static var queryItem: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: UInt.max) }

    private static func ranked(_ distances: [Int: Double], _ k: Int) -> [(index: Int, distance: Double)] {
        distances
            .map { (index: $0.key, distance: $0.value) }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
            .prefix(k)
            .map { $0 }
    }

    /// The largest coordinate magnitude involved, to scale the rounding margin.
    private static func scale(of a: Envelope, _ b: Envelope) -> Double {
        [a.minX, a.minY, a.maxX, a.maxY, b.minX, b.minY, b.maxX, b.maxY].map(abs).max() ?? 1
    }

    /// A first positive search radius when the nearest distance is 0: about the spacing of the
    /// items if they were spread evenly over the tree's box.
    private static func initialStep(_ treeBox: Envelope, _ count: Int) -> Double {
        let side = max(treeBox.maxX - treeBox.minX, treeBox.maxY - treeBox.minY)
        let step = side / Double(count).squareRoot()
        return step > 0 ? step : 1
    }
}

extension PreparedGeometry {
    /// Applies one ``STRtree/Predicate`` as `self.predicate(other)`.
    func test(_ predicate: STRtree.Predicate, _ other: GEOSGeometry) throws(GEOSError) -> Bool {
        switch predicate {
        case .intersects: try intersects(other)
        case .contains: try contains(other)
        case .containsProperly: try containsProperly(other)
        case .covers: try covers(other)
        case .coveredBy: try coveredBy(other)
        case .within: try within(other)
        case .touches: try touches(other)
        case .crosses: try crosses(other)
        case .overlaps: try overlaps(other)
        }
    }
}
