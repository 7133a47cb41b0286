#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `GeoJSONWriter` sends its bytes, in chunks of about 64 KiB.
public protocol GeoJSONSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(GeoJSONError)
}

/// Writes to a file descriptor: a file it creates, or standard output.
public final class FileSink: GeoJSONSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let name: String

    /// Creates (or truncates) the file at `path`.
    public init(path: String) throws(GeoJSONError) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw GeoJSONError(kind: .io, message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        ownsDescriptor = true
        name = path
    }

    private init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = false
        self.name = name
    }

    /// Standard output (not closed by this sink).
    public static func standardOutput() -> FileSink { FileSink(descriptor: 1, name: "standard output") }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(GeoJSONError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw GeoJSONError(kind: .io, message: "cannot write to \(name): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    deinit { if ownsDescriptor { close(descriptor) } }
}

/// Collects the bytes in memory.
public final class MemorySink: GeoJSONSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws(GeoJSONError) {
        self.bytes.append(contentsOf: bytes)
    }

    /// The bytes as text (the writer only produces UTF-8).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
