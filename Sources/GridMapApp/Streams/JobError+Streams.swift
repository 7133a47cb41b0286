import ByteOutput
import CSV

extension JobError {
    /// A table that cannot be opened or read, or lacks a column: the job cannot start (or, mid-
    /// stream, cannot go on), exit status 2 on the command line.
    public init(_ error: CSVTableError) { self.init(.cannotStart, error.message) }

    /// Output that cannot be written (a full disk, a closed pipe): the job stops, exit status 2
    /// on the command line, as for input that cannot be read.
    public init(_ error: OutputError) { self.init(.cannotStart, error.message) }

    /// The next block of `table`'s rows, a read error worded as a job error.
    static func reading(_ table: CSVTable) throws(JobError) -> CSVRows? {
        do throws(CSVTableError) {
            return try table.nextRows()
        } catch {
            throw JobError(error)
        }
    }

    /// Runs `write`, a write error worded as a job error.
    static func writing(_ write: () throws(OutputError) -> Void) throws(JobError) {
        do throws(OutputError) {
            try write()
        } catch {
            throw JobError(error)
        }
    }
}
