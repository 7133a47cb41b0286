import ArgumentParser
import Foundation
import GridMapCore

/// `gridmap locate`: which micro-grid (and grid) holds a point, for one point or a whole CSV.
struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the micro-grid and grid of a point, or of every row of a CSV.",
        discussion: """
            With LON LAT, prints the point's micro-grid, grid, village, chief and liaison, or — \
            outside the town — how far away it is and which micro-grid is nearest.

            With --csv FILE ("-" for standard input), writes every row of FILE in input order \
            with two columns added, microgrid and grid (codes; empty outside the town). The \
            first line is a header; it gets the two names added. Coordinates are read from the \
            columns named lon/lng/long/longitude and lat/latitude (or x and y), or those named \
            by --x-column and --y-column, in WGS84 unless --crs names the input's CRS. The CSV is \
            RFC 4180: a quoted field may hold commas, doubled quotes ("") and line breaks; CRLF \
            and a UTF-8 byte order mark are fine. Rows are copied as they came, quotes and \
            quoted line breaks included, each ended by LF; the file streams in blocks, so any \
            size runs in bounded memory.

            A bad row (too few fields, a coordinate that is not a number, a point that cannot \
            be transformed) is reported on standard error as FILE:LINE: reason, LINE being \
            where the row starts, and still written, with empty codes, so that output and input \
            have the same rows. A quote out of place (a quoted field never closed, or a quote in \
            one neither doubled nor ending it) makes its line alone a bad row; reading goes on \
            at the next line. Blank lines are dropped. A summary \
            (rows, inside, outside, bad) goes to standard error. Exit status: 0 when every row \
            was good, 1 when some row was bad, 2 when nothing could start.

            A point on an edge shared by micro-grids belongs to the one with the smallest code.

            Examples:
              gridmap locate 119.805 35.902
              gridmap locate --csv visits.csv > visits-located.csv
              cat points-4549.csv | gridmap locate --csv - --crs EPSG:4549 --x-column east --y-column north
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Longitude (WGS84 degrees) of a single point.", valueName: "lon"))
    var longitude: Double?

    @Argument(help: ArgumentHelp("Latitude (WGS84 degrees) of a single point.", valueName: "lat"))
    var latitude: Double?

    @OptionGroup var csv: PointCSVOptions

    func validate() throws {
        if csv.csv == nil, longitude == nil || latitude == nil {
            throw ValidationError("Give a point as LON LAT, or --csv FILE.")
        }
        if csv.csv != nil, longitude != nil { throw ValidationError("Give LON LAT or --csv FILE, not both.") }
    }

    func run() throws {
        // Locating needs only the micro-grids, grids, villages and team.
        let town = try TownAtlas(store, loading: [])
        if csv.csv != nil {
            let annotator = MicroGridAnnotator(atlas: town.atlas)
            let summary = try csv.stream(command: "locate", annotator: annotator)
            StandardError.write("gridmap locate: \(summary.rows) rows, \(annotator.inside) inside, "
                + "\(annotator.outside) outside, \(summary.bad) bad")
            if summary.bad > 0 { throw ExitCode(1) }
            return
        }
        let location: Location
        do {
            location = try town.atlas.locate(longitude: longitude!, latitude: latitude!)
        } catch {
            throw ValidationError("\(error)")
        }
        switch location {
        case .inside(let place):
            print("micro-grid  \(place.microGrid.code)  \(place.microGrid.name)")
            if let grid = place.grid { print("grid        \(grid.code)  \(grid.name)") }
            if let village = place.village { print("village     \(village.code)  \(village.name)") }
            if let chief = place.chief { print("chief       \(Self.person(chief))") }
            if let liaison = place.liaison { print("liaison     \(Self.person(liaison))") }
        case .outside(let outside):
            print("outside the town, \(Int(outside.distance.rounded())) m from the nearest micro-grid \(outside.nearestMicroGrid)")
        }
    }

    private static func person(_ member: TeamMember) -> String {
        [member.name, member.phone].compactMap { $0 }.joined(separator: "  ")
    }
}

/// Adds `microgrid,grid` to each row, counting how many points fell inside and outside.
final class MicroGridAnnotator: PointAnnotator {
    let columns = ["microgrid", "grid"]
    private let atlas: Atlas
    /// Per micro-grid index, its "micro,grid" fields as bytes, formatted once.
    private let fields: [[UInt8]]
    private(set) var inside = 0, outside = 0

    init(atlas: Atlas) {
        self.atlas = atlas
        fields = atlas.microGrids.map { Array("\($0.code),\($0.gridCode)".utf8) }
    }

    func annotate(longitudes: [Double], latitudes: [Double]) throws -> any PointAnnotations {
        let answers = MicroGridAnswers(indices: atlas.locateAll(longitudes: longitudes, latitudes: latitudes), fields: fields)
        let found = answers.indices.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        inside += found
        outside += answers.indices.count - found
        return answers
    }
}

/// One batch's micro-grids: each point's index into `fields`, or -1 outside the town.
struct MicroGridAnswers: PointAnnotations {
    let indices: [Int32]
    let fields: [[UInt8]]

    func append(_ index: Int, to output: inout OutputBuffer) {
        let microGrid = indices[index]
        if microGrid >= 0 {
            output.append(fields[Int(microGrid)])
        } else {
            output.appendComma()
        }
    }
}

/// The options of a batch over a point CSV, shared by `locate` and `nearest`.
struct PointCSVOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV with a header row to annotate row by row (\"-\" for standard input).", valueName: "file"))
    var csv: String?

    @Option(name: .customLong("x-column"), help: ArgumentHelp("The column holding longitude or x (default: lon, lng, long, longitude or x).", valueName: "name"))
    var xColumn: String?

    @Option(name: .customLong("y-column"), help: ArgumentHelp("The column holding latitude or y (default: lat, latitude or y).", valueName: "name"))
    var yColumn: String?

    @Option(help: ArgumentHelp("The CRS of the CSV's coordinates, e.g. EPSG:4549 (default: WGS84 longitude/latitude).", valueName: "crs"))
    var crs: String?

    /// Streams `--csv` through `annotator`; a setup problem is reported and exits with 2.
    func stream(command: String, annotator: PointAnnotator) throws -> PointCSVStream.Summary {
        do {
            let stream = try PointCSVStream(path: csv ?? "-", crs: crs, xColumn: xColumn, yColumn: yColumn, annotator: annotator)
            try stream.run()
            return stream.summary
        } catch let error as PointCSVStream.SetupError {
            StandardError.write("gridmap \(command): \(error)")
            throw ExitCode(2)
        }
    }
}
