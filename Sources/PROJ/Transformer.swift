import CPROJ

/// Which way a `Transformer` runs: source → target (`PJ_FWD`) or target → source (`PJ_INV`).
public enum TransformDirection: Sendable {
    case forward
    case inverse

    var pj: PJ_DIRECTION {
        switch self {
        case .forward: PJ_FWD
        case .inverse: PJ_INV
        }
    }
}

/// A transformation between two CRSs: owns one `PJ*` made by `proj_create_crs_to_crs_from_pj`
/// and then `proj_normalize_for_visualization`, destroyed by `proj_destroy`.
///
/// Because of the normalisation, every coordinate going in or out is (longitude, latitude) in
/// degrees or (easting, northing) in the CRS's unit, whatever axis order the CRS declares
/// (EPSG:4326 is latitude first, EPSG:4549 northing first).
///
/// Single points go through `forward(x:y:)` / `inverse(x:y:)` (`proj_trans`), which throw;
/// arrays go through `transform(x:y:direction:)` (`proj_trans_generic`, one C call for the whole
/// array), which reports failures per point. See `Transformer+Parallel.swift` for many threads.
public final class Transformer {
    /// The source and target definitions, `Sendable`, to rebuild this transformation elsewhere.
    public let definition: TransformDefinition
    /// Whether source coordinates are longitude/latitude (else easting/northing).
    public let sourceIsGeographic: Bool
    /// Whether target coordinates are longitude/latitude (else easting/northing).
    public let targetIsGeographic: Bool
    /// The target's unit in metres when it is a projected CRS (``CRS/metresPerProjectedUnit``).
    public let targetMetresPerProjectedUnit: Double?
    /// The CRSs' names from `proj_get_name`, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 120E".
    public let sourceName: String
    public let targetName: String
    /// The context `handle` lives in.
    public let context: PROJContext
    /// The normalised `PJ*`, valid for the lifetime of `self`.
    let handle: OpaquePointer

    /// Builds the transformation from `source` to `target` in `source.context`.
    ///
    /// Both CRSs are non-`Sendable`, so they are on the caller's thread; `target` may live in
    /// another context of the same thread.
    public init(source: CRS, target: CRS) throws(PROJError) {
        let context = source.context
        let definition = TransformDefinition(source: source.definition, target: target.definition)
        context.clearLog()
        // Returns NULL when no operation exists; may return a set of alternative operations, of
        // which proj_trans picks per point the best one whose area of use contains the point.
        guard let operation = proj_create_crs_to_crs_from_pj(context.handle, source.handle, target.handle, nil, nil)
        else {
            throw PROJError.noTransformation(
                source: definition.source, target: definition.target, message: context.failureMessage())
        }
        defer { proj_destroy(operation) }
        guard let normalized = proj_normalize_for_visualization(context.handle, operation) else {
            throw PROJError.noTransformation(
                source: definition.source, target: definition.target, message: context.failureMessage())
        }
        self.handle = normalized
        self.context = context
        self.definition = definition
        self.sourceIsGeographic = source.isGeographic
        self.targetIsGeographic = target.isGeographic
        self.targetMetresPerProjectedUnit = target.metresPerProjectedUnit
        self.sourceName = source.name
        self.targetName = target.name
    }

    /// Builds the transformation between two CRS definitions (see `CRS.init`) in `context`.
    public convenience init(from source: CRSDefinition, to target: CRSDefinition, context: PROJContext = PROJContext()) throws(PROJError) {
        try self.init(source: CRS(source, context: context), target: CRS(target, context: context))
    }

    /// Adopts `handle`, already made in `context`.
    private init(adopting handle: OpaquePointer, context: PROJContext, like original: Transformer) {
        self.handle = handle
        self.context = context
        self.definition = original.definition
        self.sourceIsGeographic = original.sourceIsGeographic
        self.targetIsGeographic = original.targetIsGeographic
        self.targetMetresPerProjectedUnit = original.targetMetresPerProjectedUnit
        self.sourceName = original.sourceName
        self.targetName = original.targetName
    }

    deinit {
        proj_destroy(handle)
    }

    /// A copy of this transformation living in `context` (`proj_clone`), for another thread to
    /// use. Call it on the thread that owns `self`; afterwards the copy and `context` may move
    /// to another thread together.
    public func clone(into context: PROJContext) throws(PROJError) -> Transformer {
        context.clearLog()
        guard let copy = proj_clone(context.handle, handle) else {
            throw PROJError.cloneFailed(
                source: definition.source, target: definition.target, message: context.failureMessage())
        }
        return Transformer(adopting: copy, context: context, like: self)
    }

    /// Transforms one point from source to target (`proj_trans`, `PJ_FWD`).
    /// - Throws: `PROJError.transformFailed` with PROJ's message when the point is outside what
    ///   the operation can handle.
    public func forward(x: Double, y: Double) throws(PROJError) -> (x: Double, y: Double) {
        try transformPoint(x: x, y: y, direction: .forward)
    }

    /// Transforms one point from target back to source (`proj_trans`, `PJ_INV`).
    public func inverse(x: Double, y: Double) throws(PROJError) -> (x: Double, y: Double) {
        try transformPoint(x: x, y: y, direction: .inverse)
    }

    private func transformPoint(x: Double, y: Double, direction: TransformDirection) throws(PROJError) -> (x: Double, y: Double) {
        context.clearLog()
        _ = proj_errno_reset(handle)
        // proj_trans signals failure with HUGE_VAL (infinity) in every component and sets
        // proj_errno on the PJ.
        let result = proj_trans(handle, direction.pj, proj_coord(x, y, 0, 0))
        guard result.xy.x.isFinite, result.xy.y.isFinite else {
            let code = proj_errno(handle)
            _ = proj_errno_reset(handle)
            throw PROJError.transformFailed(x: x, y: y, message: context.failureMessage(errorCode: code))
        }
        return (result.xy.x, result.xy.y)
    }
}
