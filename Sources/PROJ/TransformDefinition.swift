/// What a `Transformer` does, as plain values: the source and target CRS definitions.
///
/// `Transformer` holds PROJ handles and stays on one thread; this description is `Sendable`, so
/// it can cross to another thread, which builds its own `Transformer` in its own `PROJContext`.
public struct TransformDefinition: Sendable, Hashable, CustomStringConvertible {
    /// Source CRS definition as given to `proj_create`, e.g. "EPSG:4326".
    public var source: CRSDefinition
    /// Target CRS definition as given to `proj_create`, e.g. "EPSG:4549".
    public var target: CRSDefinition

    public init(source: CRSDefinition, target: CRSDefinition) {
        self.source = source
        self.target = target
    }

    /// Builds the transformation in `context` (for use on the thread that owns `context`).
    public func makeTransformer(context: PROJContext = PROJContext()) throws(PROJError) -> Transformer {
        try Transformer(from: source, to: target, context: context)
    }

    public var description: String { "\(source) → \(target)" }
}
