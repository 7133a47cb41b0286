/// Failures of the PROJ layer. Each case names what was asked for and carries PROJ's own message.
public enum PROJError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `proj_create` could not make anything of `definition` (unknown code, malformed WKT or
    /// PROJ string).
    case unknownCRS(definition: CRSDefinition, message: String)
    /// `definition` is valid PROJ input but describes something other than a CRS, e.g. a bare
    /// coordinate operation such as "+proj=utm +zone=50" (without "+type=crs").
    case notACRS(definition: CRSDefinition, kind: String)
    /// `proj_create_crs_to_crs_from_pj` or `proj_normalize_for_visualization` found no way from
    /// `source` to `target`.
    case noTransformation(source: CRSDefinition, target: CRSDefinition, message: String)
    /// `proj_trans` could not transform the point (x, y).
    case transformFailed(x: Double, y: Double, message: String)
    /// `proj_clone` could not copy a transformation into another context.
    case cloneFailed(source: CRSDefinition, target: CRSDefinition, message: String)

    public var description: String {
        switch self {
        case let .unknownCRS(definition, message):
            "unknown CRS \"\(definition)\": \(message)"
        case let .notACRS(definition, kind):
            "\"\(definition)\" is not a CRS but \(kind); a PROJ string needs \"+type=crs\" to define a CRS"
        case let .noTransformation(source, target, message):
            "no transformation from \"\(source)\" to \"\(target)\": \(message)"
        case let .transformFailed(x, y, message):
            "cannot transform point (\(x), \(y)): \(message)"
        case let .cloneFailed(source, target, message):
            "cannot copy the transformation from \"\(source)\" to \"\(target)\" into a new context: \(message)"
        }
    }
}
