import ArgumentParser
import Foundation
import GridMapApp
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
            by --x-column and --y-column, in WGS84 unless --crs names the input's CRS (any CRS \
            PROJ knows, or GCJ02 / BD09 for points taken from AMap, Tencent or Baidu maps; \
            --crs applies to LON LAT too). The CSV is \
            RFC 4180: a quoted field may hold commas, doubled quotes ("") and line breaks; CRLF \
            and a UTF-8 byte order mark are fine. Rows are copied as they came, quotes and \
            quoted line breaks included, each ended by LF; the file streams in blocks, so any \
            size runs in bounded memory.

            A bad row (too few fields, a coordinate that is not a number, a point that cannot \
            be transformed) is reported on standard error as FILE:LINE: reason, LINE being \
            where the row starts, and still written, with empty codes, so that output and input \
            have the same rows. A quote out of place (a quoted field never closed, or a quote in \
            one neither doubled nor ending it) makes its line alone a bad row, written as one \
            quoted field padded to the header's columns so that the output stays well-formed; \
            reading goes on at the next line. Blank lines are dropped. A summary \
            (rows, inside, outside, bad) goes to standard error. Exit status: 0 when every row \
            was good, 1 when some row was bad, 2 when nothing could start.

            A point on an edge shared by micro-grids belongs to the one with the smallest code.

            In a district (--db naming one, without --town), the point is found in every \
            town's micro-grids at once: the answer starts with its town, and --csv adds a town \
            column before the two. A point on an edge two towns share belongs to the town \
            first in code order, by the same rule.

            Examples:
              gridmap locate 119.805 35.902
              gridmap locate 119.81032 35.90200 --crs GCJ02
              gridmap locate --csv visits.csv > visits-located.csv
              cat points-4549.csv | gridmap locate --csv - --crs EPSG:4549 --x-column east --y-column north
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Longitude (WGS84 degrees, or x in --crs) of a single point.", valueName: "lon"))
    var longitude: Double?

    @Argument(help: ArgumentHelp("Latitude (WGS84 degrees, or y in --crs) of a single point.", valueName: "lat"))
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
        let district = try store.districtWide().map(DistrictAtlas.init)
        let atlas = try district?.atlas ?? LoadedTown(store: store.stores.openWithTown(), loading: []).atlas
        if csv.csv != nil {
            let job = LocatePointsJob(atlas: atlas, addingTown: district != nil)
            let summary = try csv.stream { table, settings, sink throws(JobError) in
                try job.run(table, settings, to: sink, badRow: reportBadRow)
            }
            StandardError.write("gridmap locate: \(summary.rows) rows, \(summary.inside) inside, "
                + "\(summary.outside) outside, \(summary.bad) bad")
            if summary.bad > 0 { throw ExitCode(1) }
            return
        }
        let point = try csv.wgs84Point(longitude!, latitude!)
        let location: Location
        do {
            location = try atlas.locate(longitude: point.longitude, latitude: point.latitude)
        } catch {
            throw ValidationError("\(error)")
        }
        switch location {
        case .inside(let place):
            let town = district?.town(of: place.microGrid.code)
            let lines: [String?] = [
                town.map { "town        \($0.code)  \($0.name)" + ($0.divisionCode.map { "  \($0)" } ?? "") },
                "micro-grid  \(place.microGrid.code)  \(place.microGrid.name)",
                place.grid.map { "grid        \($0.code)  \($0.name)" },
                place.village.map { "village     \($0.code)  \($0.name)" },
                place.chief.map { "chief       \(Self.person($0))" },
                place.liaison.map { "liaison     \(Self.person($0))" },
            ]
            try StandardOutput.write(lines: lines.compactMap { $0 })
        case .outside(let outside):
            try StandardOutput.write(lines: ["outside \(district == nil ? "the town" : "the district's towns"), "
                + "\(Int(outside.distance.rounded())) m from the nearest micro-grid \(outside.nearestMicroGrid)"])
        }
    }

    private static func person(_ member: TeamMember) -> String {
        [member.name, member.phone].compactMap { $0 }.joined(separator: "  ")
    }
}
