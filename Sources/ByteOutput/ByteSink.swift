#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a writer sends its bytes, a batch at a time. Every write is checked: a sink that cannot
/// take the bytes throws, so that a full disk or a closed pipe is an error the user sees, never a
/// silent loss or a trap.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError)
}

extension ByteSink {
    /// Writes `text` as UTF-8.
    public func write(_ text: String) throws(OutputError) {
        let bytes = Array(text.utf8)
        var failure: OutputError?
        bytes.withUnsafeBytes { raw in
            do throws(OutputError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

/// A write that failed, in words: "cannot write to standard output: No space left on device".
public struct OutputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Writes to a file descriptor: a file it creates, or standard output. `write(2)` is retried on
/// EINTR and after a short write; any other failure throws with `strerror`'s words.
public final class FileSink: ByteSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let name: String

    /// Creates (or truncates) the file at `path`, with `permissions` for a file it creates
    /// (0600 for one holding personal data: set at creation, so no other user can ever open it).
    /// Messages name the file as `name` (default: `path`), for a file written under a temporary
    /// name that the user knows by its final one.
    public init(path: String, permissions: mode_t = 0o644, name: String? = nil) throws(OutputError) {
        self.name = name ?? path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard descriptor >= 0 else {
            throw OutputError("cannot create \(self.name): \(String(cString: strerror(errno)))")
        }
        ownsDescriptor = true
    }

    private init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = false
        self.name = name
    }

    /// Standard output (not closed by this sink).
    public static func standardOutput() -> FileSink { FileSink(descriptor: 1, name: "standard output") }

    /// Standard error (not closed by this sink).
    public static func standardError() -> FileSink { FileSink(descriptor: 2, name: "standard error") }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard let start = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, start + offset, bytes.count - offset)
            #else
            let written = Darwin.write(descriptor, start + offset, bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError("cannot write to \(name): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Waits until the bytes written so far are on the disk (`fsync(2)`), so that a file renamed
    /// into place after this call is whole even after a power cut.
    public func synchronize() throws(OutputError) {
        guard fsync(descriptor) == 0 || errno == EINVAL else {  // EINVAL: a pipe or terminal, nothing to sync
            throw OutputError("cannot write to \(name): \(String(cString: strerror(errno)))")
        }
    }

    deinit { if ownsDescriptor { close(descriptor) } }
}

/// Collects the bytes in memory (tests, and output built whole before it is written).
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        self.bytes.append(contentsOf: bytes)
    }

    /// The bytes as text (invalid UTF-8 repaired with U+FFFD).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
