import ArgumentParser
import Foundation
import GEOS
import GeoJSON

/// `gridmap check`: validates GeoJSON files — syntax, RFC 7946 rules, and geometry validity as
/// GEOS judges it — and reports every problem, one line each, without stopping at the first.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate GeoJSON files: syntax, RFC 7946 rules and geometry validity.",
        discussion: """
            Every problem is printed on its own line as `FILE: feature N: what is wrong` \
            (or `FILE: line L, column C: …` for a syntax error, which ends that file's check). \
            A bad feature does not stop the check: the features after it are checked too. \
            Geometries are checked with GEOS (self-intersections, ring self-touches, holes \
            outside their shell, …) and the report gives the place GEOS names.

            Exit status: 0 when every file is clean, 1 when any file has a problem.

            Examples:
              gridmap check geodata/samples/dacun-sketch.geojson
              gridmap check layers/*.geojson
              gridmap check --projected grids-epsg4549.geojson   # coordinates in metres
            """)

    @Argument(help: "GeoJSON files to check ('-' reads standard input).")
    var files: [String]

    @Flag(help: "Coordinates are projected (e.g. metres), so don't require longitude/latitude ranges.")
    var projected = false

    @Flag(name: .shortAndLong, help: "Print problems only, without the per-file summary on standard error.")
    var quiet = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one GeoJSON file to check.") }
    }

    func run() throws {
        let context = GEOSContext()
        let options = GeoJSONReaderOptions(checksLongitudeLatitudeRange: !projected)
        var filesWithProblems = 0
        for file in files {
            let check = FileCheck(file: file, options: options, context: context)
            let report = check.run { line in
                print(line)
            }
            if report.problems > 0 { filesWithProblems += 1 }
            if !quiet {
                let verdict = report.problems == 0 ? "ok" : "\(report.problems) problem\(report.problems == 1 ? "" : "s")"
                StandardError.write("\(check.displayName): \(report.features) features checked, \(verdict)")
            }
        }
        if filesWithProblems > 0 { throw ExitCode(1) }
    }
}

/// Checks one file, streaming its features, and hands each problem line to `report`.
struct FileCheck {
    var file: String
    var options: GeoJSONReaderOptions
    var context: GEOSContext

    struct Summary {
        var features = 0
        var problems = 0
    }

    /// How the file is named in reports: standard input is "<stdin>", as in `gridmap transform`.
    var displayName: String { file == "-" ? "<stdin>" : file }

    func run(report: (String) -> Void) -> Summary {
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
                }
                summary.features += 1
                index += 1
            }
        }
        return summary
    }

    /// What GEOS finds wrong with a geometry that passed the RFC 7946 rules, or nil.
    private func geometryProblem(_ geometry: GeoJSON.Geometry?) -> String? {
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
