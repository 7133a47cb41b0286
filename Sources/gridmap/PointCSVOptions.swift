import ArgumentParser
import ByteOutput
import CSV
import GridMapApp

/// The options of a batch over a point CSV, shared by `locate` and `nearest`.
struct PointCSVOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV with a header row to annotate row by row (\"-\" for standard input).", valueName: "file"))
    var csv: String?

    @Option(name: .customLong("x-column"), help: ArgumentHelp("The column holding longitude or x (default: lon, lng, long, longitude or x).", valueName: "name"))
    var xColumn: String?

    @Option(name: .customLong("y-column"), help: ArgumentHelp("The column holding latitude or y (default: lat, latitude or y).", valueName: "name"))
    var yColumn: String?

    @Option(help: ArgumentHelp("The CRS of the coordinates (the CSV's, or LON LAT), e.g. EPSG:4549, or GCJ02 / BD09 for points from Chinese online maps (default: WGS84 longitude/latitude).", valueName: "crs"))
    var crs: String?

    var settings: PointCSVSettings { PointCSVSettings(xColumn: xColumn, yColumn: yColumn, crs: crs) }

    /// A single point given as LON LAT (or X Y in `--crs`), in WGS84.
    func wgs84Point(_ x: Double, _ y: Double) throws(JobError) -> (longitude: Double, latitude: Double) {
        try settings.wgs84Point(x: x, y: y)
    }

    /// Opens `--csv` and runs `job` over it to standard output, bad rows reported as they come.
    func stream<Summary>(_ job: (CSVTable, PointCSVSettings, FileSink) throws(JobError) -> Summary) throws(JobError) -> Summary {
        try job(openTable(csv ?? "-"), settings, FileSink.standardOutput())
    }
}
