import ByteOutput
import GridMapApp

/// Messages for people (errors, progress, summaries) go to standard error, so that standard
/// output carries only data that can be piped on.
enum StandardError {
    /// Writes one line. A message that cannot be written is dropped: there is nowhere left to
    /// say so, and the command's exit status still tells how it went.
    static func write(_ message: String) {
        try? FileSink.standardError().write(message + "\n")
    }
}

/// What a command answers goes to standard output through a checked write: a full disk or a
/// closed pipe is an error with a non-zero exit status (2), never a silent loss or a crash.
enum StandardOutput {
    static func write(_ text: String) throws(JobError) {
        do throws(OutputError) {
            try FileSink.standardOutput().write(text)
        } catch {
            throw JobError(error)
        }
    }

    /// Writes `lines`, each ended by a line break.
    static func write(lines: [String]) throws(JobError) {
        try write(lines.map { $0 + "\n" }.joined())
    }
}
