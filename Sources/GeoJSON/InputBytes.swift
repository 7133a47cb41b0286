#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The bytes a reader parses: a read-only memory map of a file, or an owned copy of a buffer.
///
/// Mapping lets the reader parse a file of any size in place, without reading it into the heap.
/// As parsing moves on, `release(before:)` tells the kernel the pages behind the cursor are no
/// longer needed, so resident memory stays near the size of the feature being parsed.
final class InputBytes {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let mappedLength: Int?
    private var releasedUpTo = 0

    /// Maps the file at `path`. An empty file is given an empty buffer (mmap refuses length 0).
    init(path: String) throws(GeoJSONError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw GeoJSONError(kind: .io, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw GeoJSONError(kind: .io, message: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        if size == 0 {
            base = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))
            count = 0
            mappedLength = nil
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw GeoJSONError(kind: .io, message: "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        count = size
        mappedLength = size
    }

    /// Copies `bytes` into memory owned by this object.
    init(copying bytes: some Collection<UInt8>) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        base = UnsafePointer(buffer.baseAddress!)
        count = bytes.count
        mappedLength = nil
    }

    /// Reads everything from a file descriptor (e.g. standard input, which may be a pipe and so
    /// cannot be mapped).
    static func readingAll(from descriptor: Int32) throws(GeoJSONError) -> InputBytes {
        var data: [UInt8] = []
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunk) }
            if got < 0 {
                if errno == EINTR { continue }
                throw GeoJSONError(kind: .io, message: "cannot read input: \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }
            data.append(contentsOf: buffer[0..<got])
        }
        return InputBytes(copying: data)
    }

    /// Lets the kernel drop mapped pages wholly before `offset` (they are re-read from the file
    /// if touched again, e.g. to compute an error's line number). Works in 8 MiB steps.
    func release(before offset: Int) {
        guard let mappedLength, offset - releasedUpTo >= 8 << 20 else { return }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = min(offset, mappedLength) / pageSize * pageSize
        guard end > releasedUpTo else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + releasedUpTo), end - releasedUpTo, MADV_DONTNEED)
        releasedUpTo = end
    }

    deinit {
        if let mappedLength {
            munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
        } else {
            UnsafeMutablePointer(mutating: base).deallocate()
        }
    }
}
