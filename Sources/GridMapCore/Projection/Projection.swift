import GEOS
import GeoJSON
import PROJ

/// The one way GridMap moves coordinates between two CRSs: a `Sendable` value that any number of
/// threads use at once, in batches, both ways.
///
/// A town's projection is ``init(workingCRS:)``: WGS84 longitude/latitude (how everything is
/// stored) to the town's projected working CRS, where distances are metres and areas m². It is
/// checked when built: the CRS must exist, be reachable from WGS84 and be projected in metres, so no query
/// learns late that its "metres" are degrees. Input in another CRS comes to WGS84 through
/// ``init(from:to:)``, the same concept without those checks.
///
/// PROJ objects are confined to one thread at a time, so the transformers live in a
/// ``TransformerPool``: the first is made once, here (`proj_create_crs_to_crs`, tens of
/// milliseconds), and every call borrows one for its own thread. ``TransformDirection/inverse``
/// runs the same operation backwards (`PJ_INV`): one pool serves both ways, and a round trip is
/// the operation's own inverse. Copies of this value share the pool.
///
/// Every batch is one `proj_trans_generic` call per chunk (large batches are split over the
/// cores; the answers are identical, bit for bit, to one call). Axis order is (longitude,
/// latitude) or (easting, northing) throughout. A coordinate PROJ cannot transform becomes NaN in
/// the coordinate methods and an error naming it in the position and geometry methods.
///
/// Either end may also be one of China's online-map systems, GCJ-02 or BD-09
/// (``ChineseMapOffset``), which PROJ does not know: such an end is its published offset from
/// WGS84, chained with PROJ — GCJ-02 → EPSG:4549 undoes the offset to WGS84, then PROJ projects
/// (docs/CRS.md). This is the one place where they join PROJ, so every command that takes a CRS
/// takes them.
public struct Projection: Sendable {
    /// The CRS coordinates come from going ``TransformDirection/forward``.
    public let source: CRSDefinition
    /// The CRS coordinates go to going forward: the working CRS of a town's projection.
    public let target: CRSDefinition
    /// PROJ's part: from `source`, or WGS84 when `source` is an offset system, to `target` or WGS84.
    private let pool: TransformerPool
    /// The offset systems at either end, nil for a CRS PROJ knows.
    private let sourceOffset: ChineseMapOffset?, targetOffset: ChineseMapOffset?
    /// Whether PROJ's part is the identity (both ends on the same CRS once the offsets are
    /// undone, e.g. GCJ-02 → WGS84), so that only the offsets move coordinates.
    private let skipsPROJ: Bool

    /// The projection between two CRSs: any definition ``CRSDefinition`` allows, or GCJ-02 / BD-09
    /// (``ChineseMapOffset/init(_:)``).
    /// - Throws: ``ProjectionError/proj(_:)`` when either CRS is unknown or no operation joins them.
    public init(from source: CRSDefinition, to target: CRSDefinition) throws(ProjectionError) {
        sourceOffset = ChineseMapOffset(source)
        targetOffset = ChineseMapOffset(target)
        let base = (source: sourceOffset == nil ? source : ChineseMapOffset.base,
                    target: targetOffset == nil ? target : ChineseMapOffset.base)
        do {
            pool = try TransformerPool(TransformDefinition(source: base.source, target: base.target))
        } catch {
            throw .proj(error)
        }
        skipsPROJ = (sourceOffset != nil || targetOffset != nil) && base.source == base.target
        self.source = source
        self.target = target
    }

    /// A town's projection: WGS84 longitude/latitude ⇄ `workingCRS`, which must be projected, in
    /// metres.
    /// - Throws: ``ProjectionError/proj(_:)`` when PROJ cannot build it,
    ///   ``ProjectionError/notProjected(crs:name:)`` when `workingCRS` is geographic (degrees) or
    ///   otherwise not projected, ``ProjectionError/notInMetres(crs:name:metresPerUnit:)`` when its
    ///   unit is not the metre.
    public init(workingCRS: CRSDefinition) throws(ProjectionError) {
        try self.init(from: .wgs84, to: workingCRS)
        guard targetOffset == nil, let metresPerUnit = pool.targetMetresPerProjectedUnit else {
            throw .notProjected(crs: workingCRS, name: targetName)
        }
        guard metresPerUnit == 1 else {
            throw .notInMetres(crs: workingCRS, name: targetName, metresPerUnit: metresPerUnit)
        }
    }

    /// Whether source coordinates are longitude/latitude (else easting/northing).
    public var sourceIsGeographic: Bool { sourceOffset != nil || pool.sourceIsGeographic }
    /// Whether target coordinates are longitude/latitude (else easting/northing).
    public var targetIsGeographic: Bool { targetOffset != nil || pool.targetIsGeographic }
    /// The target CRS's name as PROJ gives it (`proj_get_name`), e.g. "CGCS2000 / 3-degree
    /// Gauss-Kruger CM 120E", or the offset system's (``ChineseMapOffset/name``).
    public var targetName: String { targetOffset?.name ?? pool.targetName }

    // MARK: Coordinates

    /// Transforms the points (x[i], y[i]) in place, in one `proj_trans_generic` call on the calling
    /// thread (no splitting: for blocks a caller already sized, e.g. a query's points).
    /// - Returns: the indices, ascending, of the points PROJ could not transform; both their values
    ///   are now NaN.
    /// - Throws: ``ProjectionError/proj(_:)`` only when the pool needs a new transformer and PROJ
    ///   cannot copy one.
    @discardableResult
    public func transform(x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>,
                          direction: TransformDirection = .forward) throws(ProjectionError) -> [Int] {
        guard sourceOffset != nil || targetOffset != nil else { return try transformInPROJ(x: x, y: y, direction: direction) }
        let (from, to) = direction == .forward ? (sourceOffset, targetOffset) : (targetOffset, sourceOffset)
        if skipsPROJ {
            ChineseMapOffset.convert(x: x, y: y, undoing: from?.steps ?? [], doing: to?.steps ?? [])
        } else {
            ChineseMapOffset.convert(x: x, y: y, undoing: from?.steps ?? [], doing: [])
            try transformInPROJ(x: x, y: y, direction: direction)
            ChineseMapOffset.convert(x: x, y: y, undoing: [], doing: to?.steps ?? [])
        }
        // PROJ's failures are NaN already; a non-finite input the offsets passed through fails too.
        var failed: [Int] = []
        for index in x.indices where !(x[index].isFinite && y[index].isFinite) {
            (x[index], y[index]) = (.nan, .nan)
            failed.append(index)
        }
        return failed
    }

    @discardableResult
    private func transformInPROJ(x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>,
                                 direction: TransformDirection) throws(ProjectionError) -> [Int] {
        do {
            return try pool.withTransformer { $0.transform(x: x, y: y, direction: direction) }
        } catch {
            throw .proj(error)
        }
    }

    /// Why the point (x, y) cannot be transformed, in PROJ's words (`proj_trans` on the point
    /// alone, after any offset): the batch calls only mark failures.
    public func reasonForFailure(x: Double, y: Double, direction: TransformDirection = .forward) -> String {
        guard x.isFinite, y.isFinite else { return "not a finite number" }
        var xs = [x], ys = [y]
        let from = direction == .forward ? sourceOffset : targetOffset
        xs.withUnsafeMutableBufferPointer { xs in
            ys.withUnsafeMutableBufferPointer { ys in
                ChineseMapOffset.convert(x: xs, y: ys, undoing: from?.steps ?? [], doing: [])
            }
        }
        do {
            return try pool.withTransformer { (transformer) throws(PROJError) in
                _ = try direction == .forward ? transformer.forward(x: xs[0], y: ys[0]) : transformer.inverse(x: xs[0], y: ys[0])
                return "PROJ cannot transform it"
            }
        } catch PROJError.transformFailed(_, _, let message) {
            return message
        } catch {
            return "\(error)"
        }
    }

    /// Transforms the points (x[i], y[i]) in place, large batches in chunks on all cores.
    /// - Returns: the indices, ascending, of the points PROJ could not transform (now NaN).
    @discardableResult
    public func transform(x: inout [Double], y: inout [Double],
                          direction: TransformDirection = .forward) throws(ProjectionError) -> [Int] {
        precondition(x.count == y.count, "x has \(x.count) values but y has \(y.count)")
        let count = x.count
        return try x.withUnsafeMutableBufferPointer { (xs) throws(ProjectionError) in
            try y.withUnsafeMutableBufferPointer { (ys) throws(ProjectionError) in
                // Each chunk transforms only its own slice, with its own borrowed transformer.
                nonisolated(unsafe) let xs = xs, ys = ys
                return try ParallelChunks.map(count: count) { (range) throws(ProjectionError) in
                    try transform(x: UnsafeMutableBufferPointer(rebasing: xs[range]),
                                  y: UnsafeMutableBufferPointer(rebasing: ys[range]),
                                  direction: direction).map { $0 + range.lowerBound }
                }
            }
        }
    }

    // MARK: Positions and geometries

    /// The positions transformed; altitudes are kept as they are.
    /// - Throws: ``ProjectionError/untransformable(position:index:geometry:from:to:)`` for the first
    ///   position PROJ cannot transform.
    public func transform(_ positions: [Position], direction: TransformDirection = .forward) throws(ProjectionError) -> [Position] {
        var x = positions.map(\.x), y = positions.map(\.y)
        if let first = try transform(x: &x, y: &y, direction: direction).first {
            throw untransformable(positions[first], index: first, geometry: nil, direction)
        }
        return positions.indices.map { Position(x: x[$0], y: y[$0], z: positions[$0].z) }
    }

    /// The geometry with every position transformed; altitudes are kept as they are.
    /// - Throws: ``ProjectionError/untransformable(position:index:geometry:from:to:)`` for the first
    ///   position PROJ cannot transform.
    public func transform(_ geometry: Geometry, direction: TransformDirection = .forward) throws(ProjectionError) -> Geometry {
        try transform([geometry], direction: direction, numbered: false)[0]
    }

    /// The geometries with every position transformed, all in one batch, in the order given.
    /// - Throws: ``ProjectionError/untransformable(position:index:geometry:from:to:)`` for the first
    ///   position PROJ cannot transform, naming its geometry's index.
    public func transform(_ geometries: [Geometry], direction: TransformDirection = .forward) throws(ProjectionError) -> [Geometry] {
        try transform(geometries, direction: direction, numbered: true)
    }

    /// The area of a polygonal geometry in the target CRS's unit squared (m² for a town's
    /// projection): the geometry is transformed, then measured by GEOS (`GEOSArea_r`) in `context`.
    public func area(of geometry: Geometry, context: GEOSContext) throws(ProjectionError) -> Double {
        let projected = try transform(geometry)
        do {
            return try projected.geosGeometry(in: context).area()
        } catch {
            throw .geometry(error)
        }
    }

    private func transform(_ geometries: [Geometry], direction: TransformDirection, numbered: Bool) throws(ProjectionError) -> [Geometry] {
        var x: [Double] = [], y: [Double] = []
        for geometry in geometries {
            geometry.forEachPosition { x.append($0.x); y.append($0.y) }
        }
        if let first = try transform(x: &x, y: &y, direction: direction).first {
            // Find the geometry and the position within it, for the message.
            var start = 0
            for (number, geometry) in geometries.enumerated() {
                var positions: [Position] = []
                geometry.forEachPosition { positions.append($0) }
                if first < start + positions.count {
                    throw untransformable(positions[first - start], index: first - start,
                                          geometry: numbered ? number : nil, direction)
                }
                start += positions.count
            }
        }
        var next = 0
        return geometries.map { geometry in
            geometry.mapPositions { position in
                defer { next += 1 }
                return Position(x: x[next], y: y[next], z: position.z)
            }
        }
    }

    private func untransformable(_ position: Position, index: Int, geometry: Int?,
                                 _ direction: TransformDirection) -> ProjectionError {
        let (from, to) = direction == .forward ? (source, target) : (target, source)
        return .untransformable(position: position, index: index, geometry: geometry, from: from, to: to)
    }
}
