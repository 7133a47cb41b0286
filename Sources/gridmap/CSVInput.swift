import CSV
import GridMapApp

/// Opens the CSV at `path` ("-" for standard input) for a job; a file that cannot be opened or
/// has no header cannot start the job.
func openTable(_ path: String, hasHeader: Bool = true) throws(JobError) -> CSVTable {
    do throws(CSVTableError) {
        return try CSVTable(path: path, hasHeader: hasHeader)
    } catch {
        throw JobError(error)
    }
}

/// A bad row, reported on standard error as `FILE:LINE: reason` while the stream goes on.
func reportBadRow(_ row: CSVBadRow) {
    StandardError.write(row.description)
}
