import Foundation

/// Ready transformers for one definition, lent to one borrower at a time, so that a long-lived
/// owner (e.g. a query index serving many threads) makes the costly `proj_create_crs_to_crs`
/// (tens of milliseconds: it searches PROJ's database) once, not once per call.
///
/// Each pooled `Transformer` has its own `PROJContext`. ``withTransformer(_:)`` takes an idle one
/// out of the pool under a lock (or, when all are lent, clones a new one from the pool's
/// prototype, `proj_clone` into a fresh context), runs the body on the calling thread and puts it
/// back. A transformer therefore is used by one thread at a time and passes between threads only
/// through the lock, which is PROJ's rule for contexts. The pool grows to the largest number of
/// simultaneous borrowers (at most one per thread querying at once) and never shrinks; the
/// transformers are destroyed with the pool.
///
/// `@unchecked Sendable` is sound because `idle` and `prototype` are touched only with `lock`
/// held, and a lent transformer is reachable only from its borrower until it is returned.
public final class TransformerPool: @unchecked Sendable {
    public let definition: TransformDefinition
    private let lock = NSLock()
    /// Never lent: the source of clones. Checked by `init` (the CRSs exist, an operation exists).
    private let prototype: Transformer
    private var idle: [Transformer] = []

    /// Builds the first transformer now, so that a bad definition fails here.
    public init(_ definition: TransformDefinition) throws(PROJError) {
        self.definition = definition
        prototype = try definition.makeTransformer()
    }

    // The prototype's facts are immutable (`let`), so any thread may read them without the lock.

    /// Whether the source's coordinates are longitude/latitude (else easting/northing).
    public var sourceIsGeographic: Bool { prototype.sourceIsGeographic }
    /// Whether the target's coordinates are longitude/latitude (else easting/northing).
    public var targetIsGeographic: Bool { prototype.targetIsGeographic }
    /// The target's unit in metres when it is a projected CRS.
    public var targetMetresPerProjectedUnit: Double? { prototype.targetMetresPerProjectedUnit }
    /// The CRSs' names from `proj_get_name`.
    public var sourceName: String { prototype.sourceName }
    public var targetName: String { prototype.targetName }

    /// Runs `body` with a transformer that no other thread uses until `body` returns. Do not
    /// let the transformer escape `body`.
    /// - Throws: `PROJError.cloneFailed` if a new transformer is needed and PROJ cannot copy
    ///   the prototype; otherwise what `body` throws.
    public func withTransformer<Result>(_ body: (Transformer) throws(PROJError) -> Result) throws(PROJError) -> Result {
        let transformer = try borrow()
        defer { giveBack(transformer) }
        return try body(transformer)
    }

    private func borrow() throws(PROJError) -> Transformer {
        lock.lock()
        defer { lock.unlock() }
        if let transformer = idle.popLast() { return transformer }
        // The prototype is never lent, so under the lock no other thread is using it.
        return try prototype.clone(into: PROJContext())
    }

    private func giveBack(_ transformer: Transformer) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(transformer)
    }
}
