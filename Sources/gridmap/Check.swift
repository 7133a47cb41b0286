import ArgumentParser
import Foundation
import GridMapApp

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

            What RFC 7946 says SHOULD not be is a warning line, `FILE: feature N: warning: …`, \
            not a problem: a polygon ring against the right-hand rule, a coordinate with more \
            than 7 decimals; `gridmap import` normalises both (rings reversed, coordinates \
            rounded to 7 decimals). A line whose positions are all one point is invalid (a \
            problem).

            Exit status: 0 when every file is clean (warnings allowed), 1 when any file has a problem.

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
        var filesWithProblems = 0
        for file in files {
            let check = GeoJSONFileCheck(file: file, projected: projected)
            var unwritten: JobError?
            let report = check.run { line in
                do throws(JobError) { try StandardOutput.write(line + "\n") } catch { unwritten = unwritten ?? error }
            }
            if let unwritten { throw unwritten }
            if report.problems > 0 { filesWithProblems += 1 }
            if !quiet {
                var verdict = report.problems == 0 ? "ok" : "\(report.problems) problem\(report.problems == 1 ? "" : "s")"
                if report.warnings > 0 { verdict += ", \(report.warnings) warning\(report.warnings == 1 ? "" : "s")" }
                StandardError.write("\(check.displayName): \(report.features) features checked, \(verdict)")
            }
        }
        if filesWithProblems > 0 { throw ExitCode(1) }
    }
}
