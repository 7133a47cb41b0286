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
    /// Whether `base` came from `malloc` (standard input read from a pipe) rather than `allocate`.
    private var ownsMallocBuffer = false
    private var releasedUpTo = 0

    /// Maps the file at `path`. An empty file is given an empty buffer (mmap refuses length 0).
    convenience init(path: String) throws(GeoJSONError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw GeoJSONError(kind: .io, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw GeoJSONError(kind: .io, message: "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        try self.init(mapping: descriptor, size: Int(status.st_size), name: path)
    }

    /// Maps `size` bytes of the open regular file `descriptor` (which the caller closes).
    private init(mapping descriptor: Int32, size: Int, name: String) throws(GeoJSONError) {
        if size == 0 {
            base = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))
            count = 0
            mappedLength = nil
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw GeoJSONError(kind: .io, message: "cannot map \(name): \(String(cString: strerror(errno)))")
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
        count = size
        mappedLength = size
    }

    /// Takes ownership of `count` bytes at `bytes` (allocated with `malloc`/`realloc`).
    private init(taking bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        base = UnsafePointer(bytes)
        self.count = count
        mappedLength = nil
        ownsMallocBuffer = true
    }

    /// Copies `bytes` into memory owned by this object.
    init(copying bytes: some Collection<UInt8>) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        base = UnsafePointer(buffer.baseAddress!)
        count = bytes.count
        mappedLength = nil
    }

    /// Everything from a file descriptor, e.g. standard input: mapped when it is a regular file
    /// (`< file.geojson`), else (a pipe) read into one growing buffer, never copied again.
    static func readingAll(from descriptor: Int32) throws(GeoJSONError) -> InputBytes {
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, lseek(descriptor, 0, SEEK_CUR) == 0 {
            return try InputBytes(mapping: descriptor, size: Int(status.st_size), name: "standard input")
        }
        var capacity = 1 << 20, count = 0
        guard var buffer = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else {
            throw GeoJSONError(kind: .io, message: "cannot read input: out of memory")
        }
        while true {
            if count == capacity {
                capacity *= 2
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    throw GeoJSONError(kind: .io, message: "cannot read input: out of memory")
                }
                buffer = grown.assumingMemoryBound(to: UInt8.self)
            }
            let got = read(descriptor, buffer + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                free(buffer)
                throw GeoJSONError(kind: .io, message: "cannot read input: \(reason)")
            }
            if got == 0 { break }
            count += got
        }
        return InputBytes(taking: buffer, count: count)
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
        } else if ownsMallocBuffer {
            free(UnsafeMutableRawPointer(mutating: base))
        } else {
            UnsafeMutablePointer(mutating: base).deallocate()
        }
    }
}
