import Foundation
import GridMapCore
import GridStore

/// A file to attach to an event's entry (a photo of the blocked ditch, of the repaired well; a
/// signed rectification notice): a path, read a block at a time, or bytes already in memory (a
/// request's body, which the server bounds by the limit).
public struct AttachmentFile: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case path(String)
        case bytes(Data)
    }

    /// What the entry calls the file (default: the path's last part).
    public var name: String
    public var source: Source

    public init(path: String, name: String? = nil) {
        self.name = name ?? URL(fileURLWithPath: path).lastPathComponent
        self.source = .path(path)
    }

    public init(name: String, bytes: Data) {
        self.name = name
        self.source = .bytes(bytes)
    }
}

/// An attachment as handed out to one reader: what its entry says of it, and its content read
/// from the store a piece at a time (``forEachPiece(_:)``), never whole.
public struct AttachmentContent: Sendable {
    public let attachment: EventAttachment
    /// The event it belongs to, for messages.
    public let event: String
    let store: any TownStore

    /// The most bytes one piece holds.
    public static let pieceSize = 1 << 18

    /// Hands the content to `body` in order, a piece at a time. A content shorter or longer than
    /// its entry says fails (the store was changed behind GridMap's back).
    public func forEachPiece(_ body: (Data) throws -> Void) throws {
        var offset = 0
        while offset < attachment.byteCount {
            let piece: Data?
            do {
                piece = try store.attachmentBytes(attachment.sha256, from: offset, count: Self.pieceSize)
            } catch {
                throw EventDesk.jobError(error)
            }
            guard let piece, !piece.isEmpty else {
                throw JobError.failed(StoreError.corrupt("attachment_contents: the content of \(attachment.fileName) of \(event) "
                    + "(SHA-256 \(attachment.sha256)) ends at \(offset) bytes, not \(attachment.byteCount)"))
            }
            try body(piece)
            offset += piece.count
        }
    }
}

extension EventDesk {
    /// Checks `files` against the catalogue's limits before anything is recorded: their number
    /// first (no file is read when there are too many), then each file's size, type (by its
    /// first bytes) and SHA-256. A refusal names the file and the rule.
    func uploads(_ files: [AttachmentFile]) throws(JobError) -> [AttachmentUpload] {
        let limits = catalogue.attachmentLimits
        guard files.count <= limits.maximumCount else {
            throw .invalidRequest("\(files.count) attachments: an entry brings at most \(limits.maximumCount); nothing was recorded.")
        }
        return try files.map { file throws(JobError) in
            do throws(AttachmentError) {
                switch file.source {
                case .path(let path): return try AttachmentUpload(file: path, name: file.name, limits: limits)
                case .bytes(let bytes): return try AttachmentUpload(bytes: bytes, name: file.name, limits: limits)
                }
            } catch {
                throw .invalidRequest("\(error.description); nothing was recorded.")
            }
        }
    }

    /// Performs `operation` (a raise or a person's action) with the uploads' content, in one
    /// transaction; returns the event as it now is.
    func perform(_ operation: EventLogOperation, uploads: [AttachmentUpload]) throws(JobError) -> EventCase {
        try logged { () throws(EventLogError) in
            let results = try store.perform([operation], uploads: uploads, catalogue: catalogue)
            guard case .event(let event)? = results.first else { throw .unexpectedResult }
            return event
        }
    }

    /// The attachment `which` (its number in ``EventCase/attachments``, from 1, or its SHA-256)
    /// of event `id`, for `viewer`: refused, like the event's free text, to the public and to
    /// other grids' workers (``Disclosure/seesText(of:)``).
    public func attachment(of id: String, _ which: String, for viewer: Viewer) throws(JobError) -> AttachmentContent {
        try RequestParsing.checkRole(viewer.role, grids: town.grids.map(\.code))
        let event = try event(id)
        guard viewer.disclosure.seesText(of: event) else {
            throw .forbidden("The attachments of \(id) are shown to the office and the grid worker of \(event.report.grid) only "
                + "(they may show people); \(viewer.role) may not have them.")
        }
        guard let attachment = event.attachment(which) else {
            let count = event.attachments.count
            throw .notFound("\(id) has no attachment \(which); "
                + (count == 0 ? "it has none." : "it has \(count): name one by its number (1–\(count)) or its SHA-256 (gridmap event show lists them)."))
        }
        return AttachmentContent(attachment: attachment, event: id, store: store)
    }
}
