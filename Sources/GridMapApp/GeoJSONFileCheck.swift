import GEOS
import GeoJSON

/// Checks one GeoJSON file — syntax, RFC 7946 rules, and geometry validity as GEOS judges it —
/// streaming its features, and hands each problem, one line each, to `report` without stopping
/// at the first. What RFC 7946 says SHOULD not be, but import normalises (rings against the
/// right-hand rule, more than 7 decimals: ``Geometry/advisories(maximumDecimals:)``),
/// is reported as a warning line, `FILE: feature N: warning: …`, and is not a problem.
public struct GeoJSONFileCheck {
    public var file: String
    public var options: GeoJSONReaderOptions
    let context: GEOSContext

    /// `file` ("-" for standard input); with `projected`, coordinates are not held to
    /// longitude/latitude ranges. Each check owns its GEOS context.
    public init(file: String, projected: Bool) {
        self.file = file
        options = GeoJSONReaderOptions(checksLongitudeLatitudeRange: !projected)
        context = GEOSContext()
    }

    public struct Summary: Sendable {
        public var features = 0
        public var problems = 0
        public var warnings = 0
    }

    /// How the file is named in reports: standard input is "<stdin>", as in `gridmap transform`.
    public var displayName: String { file == "-" ? "<stdin>" : file }

    public func run(report: (String) -> Void) -> Summary {
        let file = displayName
        var summary = Summary()
        let reader: FeatureReader
        do {
            reader = self.file == "-" ? try .standardInput(options: options) : try FeatureReader(path: self.file, options: options)
        } catch {
            report("\(file): \(error)")
            summary.problems += 1
            return summary
        }
        var index = 0
        while let result = reader.next() {
            switch result {
            case .failure(let error):
                report("\(file): \(error)")
                summary.problems += 1
                if let featureIndex = error.featureIndex { index = featureIndex + 1 }
                if !error.isFatal { summary.features += 1 }
            case .success(let feature):
                if let problem = geometryProblem(feature.geometry) {
                    report("\(file): feature \(index)\(Self.label(feature.id)): \(problem)")
                    summary.problems += 1
                } else if let geometry = feature.geometry {
                    for note in geometry.advisories() {
                        report("\(file): feature \(index)\(Self.label(feature.id)): warning: geometry.\(note)")
                        summary.warnings += 1
                    }
                }
                summary.features += 1
                index += 1
            }
        }
        return summary
    }

    /// What GEOS finds wrong with a geometry that passed the RFC 7946 rules, or nil.
    private func geometryProblem(_ geometry: Geometry?) -> String? {
        guard let geometry else { return nil }
        do {
            let geos = try geometry.geosGeometry(in: context)
            guard let problem = try geos.validity() else { return nil }
            guard let place = problem.location else { return "invalid geometry: \(problem.reason)" }
            return "invalid geometry: \(problem.reason) at (\(Self.format(place.x)), \(Self.format(place.y)))"
        } catch {
            return "invalid geometry: \(error)"
        }
    }

    /// Seven decimals: a centimetre in degrees, well under a millimetre in metres.
    private static func format(_ value: Double) -> String { String(format: "%.7f", value) }

    private static func label(_ id: FeatureID?) -> String {
        switch id {
        case .string(let text): " (id \"\(text)\")"
        case .number(let number): " (id \(number.text))"
        case nil: ""
        }
    }
}
