import ArgumentParser
import ByteOutput
import GridMapApp

/// `gridmap transform`: CSV points from one CRS to another (``TransformPointsJob``).
struct Transform: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transform CSV points between coordinate reference systems.",
        discussion: """
            Reads rows "x,y[,rest...]" from FILE (or standard input when FILE is absent or "-") \
            and writes each row with x and y transformed and the rest of the row untouched. \
            Coordinates are always (longitude, latitude) in degrees or (easting, northing) in \
            metres, whatever axis order the CRS declares. A CRS is an authority code \
            (EPSG:4326), WKT or a PROJ string with +type=crs, or GCJ02 (GCJ-02: AMap/Gaode, \
            Tencent) or BD09 (BD-09: Baidu), the offset longitude/latitude of Chinese online \
            maps, chained with PROJ through WGS84 (docs/CRS.md).

            If the first line's x or y is not a number it is a header and is copied through. \
            A bad row (not a number, fewer than two columns, or a point PROJ cannot transform) \
            is reported on standard error as FILE:LINE: reason and skipped; the other rows go \
            on. Exit status: 0 when every row was transformed, 1 when some row was bad, 2 when \
            nothing could start (unknown CRS, unreadable file).

            Output has 7 decimals for a geographic target and 3 (millimetres) for a projected \
            one, unless --precision says otherwise.

            Examples:
              echo "119.8,35.9" | gridmap transform --from EPSG:4326 --to EPSG:4549
                481944.512,3974465.341
              gridmap transform --from EPSG:4549 --to EPSG:4326 --precision 6 wells.csv > wells-wgs84.csv
              echo "116.41024449916938,39.91640428150164" | gridmap transform --from GCJ02 --to EPSG:4326
                116.4040000,39.9150000
            """)

    @Option(help: ArgumentHelp("Source CRS, e.g. EPSG:4326 or GCJ02.", valueName: "crs"))
    var from: String

    @Option(help: ArgumentHelp("Target CRS, e.g. EPSG:4549.", valueName: "crs"))
    var to: String

    @Option(help: ArgumentHelp(
        "Decimals written for x and y (default: 7 for a geographic target, 3 for a projected one).",
        valueName: "n"))
    var precision: Int?

    @Argument(help: ArgumentHelp("CSV file to read; standard input when absent or \"-\".", valueName: "file"))
    var file: String?

    func validate() throws {
        if let precision, !(0...17).contains(precision) {
            throw ValidationError("--precision must be between 0 and 17, got \(precision).")
        }
    }

    func run() throws {
        let job = try TransformPointsJob(from: from, to: to, precision: precision)
        let table = try openTable(file ?? "-", hasHeader: false)
        let summary = try job.run(table, to: FileSink.standardOutput(), badRow: reportBadRow)
        if summary.bad > 0 { throw ExitCode(1) }
    }
}
