import ByteOutput
import Foundation

/// Lines a job gathers for the end of its report (the unmatched rows of a ledger, say) without
/// holding them in memory: up to ``memoryLimit`` bytes stay in memory, the rest goes to a
/// temporary file as it comes, so that a report of any length costs a few MiB.
///
/// The file is created 0600 (`mkstemp`) and unlinked at once: it may hold residents'
/// addresses, so no other user can read it, and nothing is left behind, even when the process
/// is killed. Its two descriptors (one appending through a ``FileSink``, one reading back) are
/// owned here and closed with the spool.
final class ReportSpool {
    /// Bytes kept in memory before the spool moves to its file.
    static let memoryLimit = 1 << 20

    private let buffer = OutputBuffer(capacity: 1 << 16)
    private var file: (sink: FileSink, reader: Int32)?

    deinit { if let file { close(file.reader) } }

    /// Adds `text` (whole lines, each ending in a line break).
    func append(_ text: String) throws(OutputError) {
        buffer.append(utf8: text)
        if buffer.count >= Self.memoryLimit { try buffer.flush(to: try spillFile().sink) }
    }

    /// Writes everything added, in order, to `sink`.
    func copy(to sink: any ByteSink) throws(OutputError) {
        if let file {
            try buffer.flush(to: file.sink)
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(file.reader, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw OutputError("cannot read back the report's temporary file: \(String(cString: strerror(errno)))") }
                if count == 0 { break }
                var failure: OutputError?
                chunk.withUnsafeBytes { bytes in
                    do throws(OutputError) { try sink.write(UnsafeRawBufferPointer(rebasing: bytes[..<count])) } catch { failure = error }
                }
                if let failure { throw failure }
            }
        } else {
            try buffer.flush(to: sink)
        }
    }

    /// The temporary file, made on the first spill.
    private func spillFile() throws(OutputError) -> (sink: FileSink, reader: Int32) {
        if let file { return file }
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("gridmap-report.XXXXXX").path.utf8CString)
        let reader = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard reader >= 0 else {
            throw OutputError("cannot create a temporary file for the report: \(String(cString: strerror(errno)))")
        }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        do throws(OutputError) {
            // The file exists (0600), so opening it again keeps its mode.
            let sink = try FileSink(path: path)
            file = (sink, reader)
            return (sink, reader)
        } catch {
            close(reader)
            throw error
        }
    }
}
