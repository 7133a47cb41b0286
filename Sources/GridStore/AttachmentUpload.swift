import Crypto
import Foundation
import GridMapCore

/// A file to attach to an event's entry, checked before anything is written: its type recognised
/// from its first bytes, its size counted (the reading stops just past the limit, so a huge file
/// is never read whole) and its content hashed (SHA-256), a block at a time.
///
/// Rule kept: ``attachment`` describes the content as it was read. The store reads the content
/// again when it keeps it (``forEachBlock(_:)``) and refuses it, in the same transaction as the
/// entry, when it is no longer that content — a file changed in between is never stored under
/// the hash of what it was.
public struct AttachmentUpload: Sendable, Hashable {
    /// Where the content is read from: a regular file (read twice, a block at a time), or bytes
    /// already in memory (a request's body, at most the limit).
    public enum Source: Sendable, Hashable {
        case file(path: String)
        case bytes(Data)
    }

    /// What the entry records: hash, size, media type and the name for people.
    public let attachment: EventAttachment
    public let source: Source

    /// How much of the content is held at once while it is hashed or stored.
    static let blockSize = 1 << 16

    /// Checks the file at `path` against `limits`; `name` (default: the path's last part) is what
    /// the entry calls it.
    public init(file path: String, name: String? = nil, limits: AttachmentLimits) throws(AttachmentError) {
        let name = name ?? URL(fileURLWithPath: path).lastPathComponent
        self.source = .file(path: path)
        self.attachment = try Self.check(source, name: name, described: path, limits: limits)
    }

    /// Checks `bytes` against `limits`, under the name `name`.
    public init(bytes: Data, name: String, limits: AttachmentLimits) throws(AttachmentError) {
        self.source = .bytes(bytes)
        self.attachment = try Self.check(source, name: name, described: name, limits: limits)
    }

    /// The content, a block at a time, checked against ``attachment`` as it goes: more bytes than
    /// recorded, fewer, or another hash throw ``AttachmentError`` (after `body` has seen what was
    /// read: a store writes in a transaction it then rolls back).
    func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var hasher = SHA256(), count = 0
        try Self.readBlocks(source, described: described, upTo: attachment.byteCount) { block in
            count += block.count
            hasher.update(bufferPointer: block)
            try body(block)
        }
        guard count == attachment.byteCount, Self.hex(hasher.finalize()) == attachment.sha256 else {
            throw AttachmentError(described, "changed while it was being attached (it was \(attachment.byteCount) bytes with SHA-256 \(attachment.sha256)); nothing was recorded")
        }
    }

    /// The content in memory (the in-memory store keeps it so), checked like ``forEachBlock(_:)``.
    func content() throws -> Data {
        var data = Data(capacity: attachment.byteCount)
        try forEachBlock { data.append(contentsOf: $0) }
        return data
    }

    /// How messages name the upload: its path, or its name when it has none.
    var described: String {
        if case .file(let path) = source { return path }
        return attachment.fileName
    }

    // MARK: - Reading

    private static func check(_ source: Source, name: String, described: String, limits: AttachmentLimits) throws(AttachmentError) -> EventAttachment {
        var hasher = SHA256(), count = 0, header: [UInt8] = []
        do {
            try readBlocks(source, described: described, upTo: limits.maximumBytes) { block in
                if header.count < AttachmentLimits.headerLength {
                    header += block.prefix(AttachmentLimits.headerLength - header.count)
                }
                count += block.count
                hasher.update(bufferPointer: block)
            }
        } catch let error as AttachmentError {
            throw error
        } catch {
            throw AttachmentError(described, "cannot be read: \(error)")
        }
        if count > limits.maximumBytes {
            throw AttachmentError(described, "is larger than \(AttachmentLimits.sizeText(limits.maximumBytes)), the limit for one attachment")
        }
        guard let mediaType = AttachmentLimits.mediaType(ofHeader: header), limits.mediaTypes.contains(mediaType) else {
            throw AttachmentError(described, count == 0
                ? "is empty; attachments are \(limits.typesText) files"
                : "is not a \(limits.typesText) file (its first bytes say so, whatever its name); only those are attached")
        }
        return EventAttachment(sha256: hex(hasher.finalize()), byteCount: count, mediaType: mediaType, fileName: name)
    }

    /// Hands `source`'s content to `body` a block at a time, stopping after `limit + 1` bytes at
    /// most, so that a larger content shows as one byte too many without being read whole.
    private static func readBlocks(_ source: Source, described: String, upTo limit: Int,
                             _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        switch source {
        case .bytes(let data):
            let end = min(data.count, limit + 1)
            var start = 0
            while start < end {
                let stop = min(start + blockSize, end)
                try data[data.startIndex + start ..< data.startIndex + stop].withUnsafeBytes(body)
                start = stop
            }
        case .file(let path):
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw AttachmentError(path, "cannot be read: \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
                throw AttachmentError(path, "is not a regular file (a file is read twice: once to check it, once to store it)")
            }
            var buffer = [UInt8](repeating: 0, count: blockSize), total = 0
            while total <= limit {
                let wanted = min(blockSize, limit + 1 - total)
                let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw AttachmentError(path, "cannot be read: \(String(cString: strerror(errno)))")
                }
                if got == 0 { break }
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(got))) }
                total += got
            }
        }
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// An attachment refused before or while it is stored: names the file and the rule it breaks.
public struct AttachmentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's path (or name, for bytes without one).
    public var file: String
    public var message: String

    public init(_ file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "attachment \(file) \(message)" }
}
