import Foundation
import GEOS
import GeoJSON

/// Makes one geometry valid without changing what kind of geometry it is: GEOS MakeValid
/// (`GEOSMakeValid_r`, the "linework" method), of whose result only the parts of the
/// original's dimension are kept — a polygon stays polygonal (a bow-tie becomes two triangles, a
/// spike's line is dropped), a line stays lineal. Rings with fewer than three distinct points
/// (which GEOS cannot even build) are dropped first: a hole goes, and a polygon whose exterior
/// ring collapses goes with its holes. A geometry with nothing left is not repaired: losing a
/// whole item is for a person to decide, and validation reports it.
///
/// Runs on the calling thread in the given context.
struct GeometryRepair {
    enum Outcome {
        case unchanged
        case repaired(Geometry, problem: String, detail: String)
        /// Repair was needed but would leave nothing of the item's type.
        case impossible(problem: String, reason: String)
    }

    let context: GEOSContext
    /// The town's projection, for areas in m² in the report; nil reports no area.
    let projection: Projection?

    func repair(_ geometry: Geometry) -> Outcome {
        var problems: [String] = []
        var dropped: [String] = []
        let cleaned = Self.droppingCollapsedRings(geometry, problems: &problems, dropped: &dropped)
        guard let cleaned else {
            return .impossible(problem: problems.joined(separator: ", "), reason: "every ring collapses, nothing of the polygon is left")
        }
        let geos: GEOSGeometry
        let validity: ValidityProblem?
        do {
            geos = try cleaned.geosGeometry(in: context)
            validity = try geos.validity()
        } catch {
            return .impossible(problem: problems.isEmpty ? "\(error)" : problems.joined(separator: ", "),
                               reason: "GEOS cannot build it: \(error)")
        }
        if validity == nil, problems.isEmpty { return .unchanged }
        var result = cleaned
        if let validity {
            problems.append(validity.reason + (validity.location.map { " at (\($0.x), \($0.y))" } ?? ""))
            do {
                let parts = try Self.parts(of: geos.makeValid())
                let family = Self.family(of: geometry)
                let kept = family == .mixed ? parts : parts.filter { Self.family(of: $0) == family }
                for part in parts where family != .mixed && Self.family(of: part) != family { dropped.append("a collapsed \(part.typeName)") }
                guard let assembled = Self.assemble(kept, like: geometry) else {
                    return .impossible(problem: problems.joined(separator: ", "),
                                       reason: "MakeValid leaves no \(geometry.typeName) (\(parts.map(\.typeName).joined(separator: ", ")))")
                }
                result = assembled
            } catch {
                return .impossible(problem: problems.joined(separator: ", "), reason: "GEOS MakeValid failed: \(error)")
            }
        }
        return .repaired(result, problem: problems.joined(separator: ", "), detail: describe(result, dropped: dropped))
    }

    /// "MultiPolygon of 2 parts, area 8.000 m²; dropped a collapsed LineString".
    private func describe(_ result: Geometry, dropped: [String]) -> String {
        var text = "now a \(result.typeName)"
        if case .multiPolygon(let parts) = result { text += " of \(parts.count) parts" }
        if case .multiLineString(let parts) = result { text += " of \(parts.count) parts" }
        if let projection, Self.family(of: result) == .polygonal, let area = try? projection.area(of: result, context: context) {
            text += ", area \(Self.format(area)) m²"
        }
        if !dropped.isEmpty { text += "; dropped " + dropped.joined(separator: ", ") }
        return text
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return String(format: "%.3f", rounded)
    }

    // MARK: Rings with too few points

    /// The geometry without its collapsed rings (fewer than three distinct positions), or nil
    /// when no polygon is left; `problems` and `dropped` say what went. Rings that do not close
    /// (a GIS source may give them) are closed.
    static func droppingCollapsedRings(_ geometry: Geometry, problems: inout [String], dropped: inout [String]) -> Geometry? {
        switch geometry {
        case .polygon(let rings):
            guard let polygon = keptRings(rings, problems: &problems, dropped: &dropped) else { return nil }
            return .polygon(polygon)
        case .multiPolygon(let polygons):
            var kept: [[[Position]]] = []
            for rings in polygons {
                if let polygon = keptRings(rings, problems: &problems, dropped: &dropped) { kept.append(polygon) }
            }
            return kept.isEmpty ? nil : .multiPolygon(kept)
        default:
            return geometry
        }
    }

    private static func keptRings(_ rings: [[Position]], problems: inout [String], dropped: inout [String]) -> [[Position]]? {
        var kept: [[Position]] = []
        for (index, ring) in rings.enumerated() {
            let what = index == 0 ? "exterior ring" : "hole"
            var distinct: [Position] = []
            for position in ring where distinct.last.map({ $0.x != position.x || $0.y != position.y }) ?? true {
                distinct.append(position)
            }
            if distinct.count > 1, let first = distinct.first, let last = distinct.last, first.x == last.x, first.y == last.y {
                distinct.removeLast()
            }
            guard distinct.count >= 3 else {
                problems.append("\(what) with too few points (\(Set(distinct.map { [$0.x, $0.y] }).count) distinct)")
                if index == 0 {
                    dropped.append("a polygon whose exterior ring collapses" + (rings.count > 1 ? " (with its \(rings.count - 1) holes)" : ""))
                    return nil
                }
                dropped.append("a collapsed hole")
                continue
            }
            if let first = ring.first, let last = ring.last, first.x != last.x || first.y != last.y {
                problems.append("\(what) not closed")
                kept.append(ring + [first])
            } else {
                kept.append(ring)
            }
        }
        return kept
    }

    // MARK: Keeping the geometry's type

    enum Family { case puntal, lineal, polygonal, mixed }

    static func family(of geometry: Geometry) -> Family {
        switch geometry {
        case .point, .multiPoint: .puntal
        case .lineString, .multiLineString: .lineal
        case .polygon, .multiPolygon: .polygonal
        case .geometryCollection: .mixed
        }
    }

    /// The single parts of a GEOS result, collections flattened.
    static func parts(of geometry: GEOSGeometry) throws(GEOSError) -> [Geometry] {
        var parts: [Geometry] = []
        func collect(_ value: Geometry) {
            switch value {
            case .multiPoint(let points): parts += points.map { .point($0) }
            case .multiLineString(let lines): parts += lines.map { .lineString($0) }
            case .multiPolygon(let polygons): parts += polygons.map { .polygon($0) }
            case .geometryCollection(let members): members.forEach(collect)
            default: parts.append(value)
            }
        }
        collect(try Geometry(geometry))
        return parts
    }

    /// The parts as one geometry of `original`'s type: a single part as the single type when
    /// the original was single, otherwise the multi type. Nil when there are no parts.
    static func assemble(_ parts: [Geometry], like original: Geometry) -> Geometry? {
        guard !parts.isEmpty else { return nil }
        switch original {
        case .polygon, .multiPolygon:
            let polygons = parts.compactMap { if case .polygon(let rings) = $0 { rings } else { nil } }
            if case .polygon = original, polygons.count == 1 { return .polygon(polygons[0]) }
            return .multiPolygon(polygons)
        case .lineString, .multiLineString:
            let lines = parts.compactMap { if case .lineString(let line) = $0 { line } else { nil } }
            if case .lineString = original, lines.count == 1 { return .lineString(lines[0]) }
            return .multiLineString(lines)
        case .point, .multiPoint:
            let points = parts.compactMap { if case .point(let point) = $0 { point } else { nil } }
            if case .point = original, points.count == 1 { return .point(points[0]) }
            return .multiPoint(points)
        case .geometryCollection:
            return parts.count == 1 ? parts[0] : .geometryCollection(parts)
        }
    }
}
