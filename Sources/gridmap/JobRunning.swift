import ArgumentParser
import CSV
import GridMapApp

/// Runs a job for `command` and turns its ``JobError`` into what the command line shows: an
/// invalid request as a validation error (exit status 64), anything else as
/// "gridmap COMMAND: message" on standard error with exit status 2 (cannot start) or 1 (rejected).
func runJob<Result>(_ command: String, _ job: () throws(JobError) -> Result) throws -> Result {
    do {
        return try job()
    } catch {
        switch error.kind {
        case .invalidRequest:
            throw ValidationError(error.description)
        case .cannotStart:
            StandardError.write("gridmap \(command): \(error)")
            throw ExitCode(2)
        case .rejected:
            StandardError.write("gridmap \(command): \(error)")
            throw ExitCode(1)
        }
    }
}

/// Opens the CSV at `path` ("-" for standard input) for `command`'s job; a file that cannot be
/// opened or has no header cannot start the job.
func openTable(_ path: String, hasHeader: Bool = true, for command: String) throws -> CSVTable {
    try runJob(command) { () throws(JobError) in
        do throws(CSVTableError) {
            return try CSVTable(path: path, hasHeader: hasHeader)
        } catch {
            throw JobError(error)
        }
    }
}

/// A bad row, reported on standard error as `FILE:LINE: reason` while the stream goes on.
func reportBadRow(_ row: CSVBadRow) {
    StandardError.write(row.description)
}
