import Foundation

/// A file kept with an event — a photo of the blocked ditch, a signed rectification notice —
/// named by an entry of its history. The content is stored once per SHA-256, however many entries
/// name it; the entry keeps the hash, the size, the media type and the name it had.
public struct EventAttachment: Hashable, Sendable {
    /// The SHA-256 of the content, 64 lower-case hexadecimal digits.
    public var sha256: String
    public var byteCount: Int
    /// The type recognised from the content's first bytes (``AttachmentLimits/mediaType(ofHeader:)``),
    /// never from the name.
    public var mediaType: String
    /// The name the file had when attached, for people.
    public var fileName: String

    public init(sha256: String, byteCount: Int, mediaType: String, fileName: String) {
        self.sha256 = sha256
        self.byteCount = byteCount
        self.mediaType = mediaType
        self.fileName = fileName
    }

    /// Whether `text` is a SHA-256 as attachments name it: 64 lower-case hexadecimal digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// What an entry's attachments may be: at most ``maximumCount`` files of at most ``maximumBytes``
/// each, of a type in ``mediaTypes`` — recognised by its first bytes (its magic number), so that a
/// renamed file is what it is, not what its name says.
public struct AttachmentLimits: Hashable, Sendable {
    /// The largest attachment accepted, in bytes (10 MiB: a phone's photo, a scanned notice).
    public var maximumBytes: Int
    /// The most files one entry may bring.
    public var maximumCount: Int
    /// The media types accepted; each must be one ``mediaType(ofHeader:)`` recognises.
    public var mediaTypes: Set<String>

    public init(maximumBytes: Int = 10 << 20, maximumCount: Int = 20,
                mediaTypes: Set<String> = ["image/jpeg", "image/png", "image/webp", "application/pdf"]) {
        self.maximumBytes = maximumBytes
        self.maximumCount = maximumCount
        self.mediaTypes = mediaTypes
    }

    /// How many first bytes ``mediaType(ofHeader:)`` needs to tell every type apart.
    public static let headerLength = 12

    /// The media type a file's first bytes say it is: JPEG (FF D8 FF), PNG (its 8-byte signature),
    /// WebP (`RIFF`, a size, `WEBP`) or PDF (`%PDF-`); nil for anything else.
    public static func mediaType(ofHeader header: some Collection<UInt8>) -> String? {
        let bytes = Array(header.prefix(headerLength))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }

    /// The accepted types in words, for refusals and help: `JPEG, PNG, WebP or PDF`.
    public var typesText: String {
        let known = [("image/jpeg", "JPEG"), ("image/png", "PNG"), ("image/webp", "WebP"), ("application/pdf", "PDF")]
        let names = known.filter { mediaTypes.contains($0.0) }.map(\.1)
            + mediaTypes.subtracting(known.map(\.0)).sorted()
        guard let last = names.last, names.count > 1 else { return names.first ?? "no" }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// `bytes` in words: `10 MiB`, `2.5 MiB`, `900 KiB`, `12 bytes`.
    public static func sizeText(_ bytes: Int) -> String {
        func trimmed(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
        }
        if bytes >= 1 << 20 { return trimmed(Double(bytes) / Double(1 << 20)) + " MiB" }
        if bytes >= 1 << 10 { return trimmed(Double(bytes) / Double(1 << 10)) + " KiB" }
        return "\(bytes) bytes"
    }

    /// The first rule `attachments` (one entry's) break, in words naming the file; nil when they
    /// keep every rule.
    public func problem(with attachments: [EventAttachment]) -> String? {
        if attachments.count > maximumCount {
            return "\(attachments.count) attachments; an entry brings at most \(maximumCount)"
        }
        for attachment in attachments {
            if attachment.byteCount > maximumBytes {
                return "attachment \(attachment.fileName) has \(attachment.byteCount) bytes; the limit is \(maximumBytes) (\(Self.sizeText(maximumBytes)))"
            }
            if !mediaTypes.contains(attachment.mediaType) {
                return "attachment \(attachment.fileName) is \(attachment.mediaType); accepted: \(typesText)"
            }
            if !EventAttachment.isSHA256(attachment.sha256) {
                return "attachment \(attachment.fileName) is not named by a SHA-256 (64 lower-case hexadecimal digits)"
            }
        }
        return nil
    }
}
