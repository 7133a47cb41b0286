import Foundation
import GRDB
import GeoJSON
import GridMapCore
import Postgres
import PostgresTesting
import Testing
@testable import GridStore

/// Files to attach, written in a temporary folder, with their SHA-256 worked out elsewhere
/// (Python's hashlib), so that the hashes here are known answers.
struct AttachmentFixtures {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("GridMap attachment test".utf8)
    static let pngSHA256 = "1d40309ec60b9ca35ff432f6b481a5141f092da4462a59efe271bbbfcff95db5"
    static let pdf = Array("%PDF-1.7\n% a rectification notice\n".utf8)
    static let pdfSHA256 = "ed50bc9ab99256a47b641d4a336a7aa070312ceff0edb1a360d197961c58195e"
    /// A JPEG's signature and 200,000 bytes: several blocks of reading and hashing.
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF] + (0..<200_000).map { UInt8($0 % 251) }
    static let jpegSHA256 = "52675b6fa9c97601b4303e98e4f08231a49c89862d7cd04d72ee79af8e047e44"

    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("attachments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the folder; returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

@Suite("Attachments: checked uploads and the contents a store keeps")
struct AttachmentStoreTests {
    typealias C = EventLogContractTests
    static let limits = EventCatalogue.standard.attachmentLimits

    /// The contents `log` keeps, each read back whole a piece at a time.
    static func contents(_ log: any EventLog, piece: Int = 4096) throws -> [String: [UInt8]] {
        var all: [String: [UInt8]] = [:]
        for hash in try log.attachmentHashes() {
            var bytes: [UInt8] = [], offset = 0
            while let data = try log.attachmentBytes(hash, from: offset, count: piece), !data.isEmpty {
                bytes += data
                offset += data.count
            }
            all[hash] = bytes
        }
        return all
    }

    static func raiseEntry(_ files: [EventAttachment], atHour hours: Double = 0) -> EventEntry {
        let report = EventReport(category: "roads-and-water", urgency: .normal, description: "水井损坏", location: Position(x: 119.8, y: 35.9),
                                 microGrid: GridCode("TS-001-1")!, villageCode: "TS-V1", attachments: files)
        return EventEntry(at: C.at(hours), actor: C.liaison, action: .raise(report))
    }

    @Test("an upload knows its file's SHA-256, size and type (by content), whatever the file is called, read across many blocks")
    func knownHashes() throws {
        let files = try AttachmentFixtures()
        defer { files.remove() }
        let png = try AttachmentUpload(file: try files.write("well.jpg", AttachmentFixtures.png), limits: Self.limits)
        #expect(png.attachment == EventAttachment(sha256: AttachmentFixtures.pngSHA256, byteCount: 31, mediaType: "image/png", fileName: "well.jpg"))
        let jpeg = try AttachmentUpload(file: try files.write("big", AttachmentFixtures.jpeg), name: "水井.jpg", limits: Self.limits)
        #expect(jpeg.attachment == EventAttachment(sha256: AttachmentFixtures.jpegSHA256, byteCount: 200_003, mediaType: "image/jpeg", fileName: "水井.jpg"))
        let pdf = try AttachmentUpload(bytes: Data(AttachmentFixtures.pdf), name: "notice.pdf", limits: Self.limits)
        #expect(pdf.attachment.sha256 == AttachmentFixtures.pdfSHA256 && pdf.attachment.mediaType == "application/pdf")
        #expect(try jpeg.content() == Data(AttachmentFixtures.jpeg), "read again, the content is what was hashed")
    }

    @Test("an upload past the size limit, of another type, empty, missing or not a regular file is refused naming the file and the rule")
    func uploadRefusals() throws {
        let files = try AttachmentFixtures()
        defer { files.remove() }
        let small = AttachmentLimits(maximumBytes: 31)
        #expect(throws: Never.self) { try AttachmentUpload(file: try files.write("exact.png", AttachmentFixtures.png), limits: small) }
        let cases: [(() throws -> AttachmentUpload, String)] = [
            ({ try AttachmentUpload(file: try files.write("big.png", AttachmentFixtures.png + [0]), limits: small) },
             "big.png is larger than 31 bytes, the limit for one attachment"),
            ({ try AttachmentUpload(file: try files.write("photo.jpg", Array("not a photo at all".utf8)), limits: Self.limits) },
             "photo.jpg is not a JPEG, PNG, WebP or PDF file (its first bytes say so, whatever its name)"),
            ({ try AttachmentUpload(file: try files.write("empty.pdf", []), limits: Self.limits) }, "empty.pdf is empty"),
            ({ try AttachmentUpload(file: files.folder.appendingPathComponent("absent.png").path, limits: Self.limits) },
             "absent.png cannot be read: No such file or directory"),
            ({ try AttachmentUpload(file: files.folder.path, limits: Self.limits) }, "is not a regular file"),
            ({ try AttachmentUpload(bytes: Data(AttachmentFixtures.png), name: "no.png", limits: AttachmentLimits(mediaTypes: ["image/jpeg"])) },
             "no.png is not a JPEG file"),
        ]
        for (make, message) in cases {
            do { _ = try make(); Issue.record("accepted: \(message)") } catch {
                #expect("\(error)".hasPrefix("attachment ") && "\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test("the same photo attached twice, to two entries of two events, is kept once and reads back byte for byte")
    func deduplication() throws {
        let files = try AttachmentFixtures()
        defer { files.remove() }
        let photo = try AttachmentUpload(file: try files.write("well.jpg", AttachmentFixtures.jpeg), limits: Self.limits)
        let again = try AttachmentUpload(file: try files.write("well-copy.jpg", AttachmentFixtures.jpeg), limits: Self.limits)
        let notice = try AttachmentUpload(bytes: Data(AttachmentFixtures.pdf), name: "notice.pdf", limits: Self.limits)
        for (name, log) in try C.logs() {
            let raised = try log.perform([.raise(Self.raiseEntry([photo.attachment, notice.attachment]))], uploads: [photo, notice], catalogue: C.catalogue)
            let later = EventEntry(at: C.at(1), actor: C.liaison, action: .take(deadline: nil), note: "修好了", attachments: [again.attachment])
            _ = try log.perform([.raise(Self.raiseEntry([again.attachment], atHour: 0.5)), .record(.id(raised[0].id), later)],
                                uploads: [again, again], catalogue: C.catalogue)
            #expect(try log.attachmentHashes() == [AttachmentFixtures.pdfSHA256, AttachmentFixtures.jpegSHA256].sorted(), "\(name)")
            #expect(try Self.contents(log) == [AttachmentFixtures.jpegSHA256: AttachmentFixtures.jpeg, AttachmentFixtures.pdfSHA256: AttachmentFixtures.pdf], "\(name)")
            let event = try #require(try log.event("EV-000001", catalogue: C.catalogue))
            #expect(event.attachments.map(\.fileName) == ["well.jpg", "notice.pdf", "well-copy.jpg"], "\(name): a later entry's file is read back with it")
            #expect(event.history[1].attachments == [again.attachment], "\(name)")
            let listed = try log.events(EventFilter(), catalogue: C.catalogue)
            #expect(listed.map(\.attachments.count) == [3, 1], "\(name): the bulk read merges the later entries' files too")
            if let sqlite = log as? SQLiteTownStore {
                #expect(try sqlite.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attachment_contents") } == 2)
            }
            if let postgres = log as? PostgresTownStore {
                let counted = try postgres.pool.withConnection { db in try db.query("SELECT count(*) FROM attachment_contents")[0].integer(0) }
                #expect(counted == 2, "PostgreSQL keeps each content once")
            }
        }
    }

    @Test("attachment bytes are read a piece at a time: from any offset, short at the end, nothing past it, nil for an unknown hash")
    func pieces() throws {
        let upload = try AttachmentUpload(bytes: Data(AttachmentFixtures.png), name: "p.png", limits: Self.limits)
        for (name, log) in try C.logs() {
            _ = try log.perform([.raise(Self.raiseEntry([upload.attachment]))], uploads: [upload], catalogue: C.catalogue)
            let hash = AttachmentFixtures.pngSHA256
            #expect(try log.attachmentBytes(hash, from: 8, count: 7) == Data("GridMap".utf8), "\(name)")
            #expect(try log.attachmentBytes(hash, from: 26, count: 100) == Data(" test".utf8), "\(name)")
            #expect(try log.attachmentBytes(hash, from: 31, count: 100) == Data(), "\(name)")
            #expect(try log.attachmentBytes(String(repeating: "0", count: 64), from: 0, count: 10) == nil, "\(name)")
        }
    }

    @Test("on any refusal nothing is kept: a refused action, a file named without its content, an upload no entry names, a file changed after its check")
    func refusalsKeepNothing() throws {
        let files = try AttachmentFixtures()
        defer { files.remove() }
        let path = try files.write("well.png", AttachmentFixtures.png)
        let photo = try AttachmentUpload(file: path, limits: Self.limits)
        let notice = try AttachmentUpload(bytes: Data(AttachmentFixtures.pdf), name: "notice.pdf", limits: Self.limits)
        for (name, log) in try C.logs() {
            let event = try C.raise(log, withAttachment: false)
            func refused(_ operations: [EventLogOperation], _ uploads: [AttachmentUpload], _ message: String) {
                #expect(Self.refusal(log, operations, uploads)?.contains(message) == true, "\(name): \(message)")
            }
            let verify = EventEntry(at: C.at(1), actor: C.liaison, action: .verify, attachments: [photo.attachment])
            refused([.record(.id(event.id), verify)], [photo], "cannot verify")
            refused([.raise(Self.raiseEntry([photo.attachment]))], [], "attachment well.png (SHA-256 \(AttachmentFixtures.pngSHA256)) has no content in the store")
            refused([.raise(Self.raiseEntry([photo.attachment]))], [photo, notice], "attachment notice.pdf is named by no entry")
            var lying = notice.attachment
            lying.byteCount = 99
            refused([.raise(Self.raiseEntry([lying]))], [notice], "says 99 bytes of application/pdf, but its content")
            try Data(AttachmentFixtures.png.reversed()).write(to: URL(fileURLWithPath: path))
            refused([.raise(Self.raiseEntry([photo.attachment]))], [photo], "attachment \(path) changed while it was being attached")
            try Data(AttachmentFixtures.png + [1, 2, 3]).write(to: URL(fileURLWithPath: path))
            refused([.raise(Self.raiseEntry([photo.attachment]))], [photo], "changed while it was being attached")
            #expect(try log.attachmentHashes().isEmpty, "\(name): no content kept")
            #expect(try log.events(EventFilter(), catalogue: C.catalogue).map(\.history.count) == [1], "\(name): no event, no entry")
            try Data(AttachmentFixtures.png).write(to: URL(fileURLWithPath: path))
        }
    }

    /// What `log` says when it refuses `operations` with `uploads`; nil when it records them.
    static func refusal(_ log: any EventLog, _ operations: [EventLogOperation], _ uploads: [AttachmentUpload]) -> String? {
        do {
            _ = try log.perform(operations, uploads: uploads, catalogue: C.catalogue)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("kept contents and the files entries name never change or go, even by hand in SQL, on SQLite and PostgreSQL")
    func appendOnly() throws {
        let upload = try AttachmentUpload(bytes: Data(AttachmentFixtures.pdf), name: "n.pdf", limits: Self.limits)
        func attach(to log: any EventLog) throws {
            let event = try C.raise(log, withAttachment: false)
            _ = try log.perform([.record(.id(event.id), EventEntry(at: C.at(1), actor: C.liaison, action: .take(deadline: nil), attachments: [upload.attachment]))],
                                uploads: [upload], catalogue: C.catalogue)
        }
        let changes = ["UPDATE attachment_contents SET media_type = 'x'", "DELETE FROM attachment_contents",
                       "UPDATE event_attachments SET name = 'x'", "DELETE FROM event_attachments"]
        let log = try SQLiteTownStore()
        try attach(to: log)
        for sql in changes {
            #expect(throws: DatabaseError.self, "\(sql)") { try log.database.write { db in try db.execute(sql: sql) } }
        }
        #expect(try Self.contents(log) == [AttachmentFixtures.pdfSHA256: AttachmentFixtures.pdf])
        let uri = try TestPostgres.freshSchema()
        let postgres = try PostgresTownStore(uri: uri)
        try attach(to: postgres)
        let connection = try PostgresConnection(uri)
        for sql in changes + ["UPDATE attachment_pieces SET bytes = '\\x00'", "DELETE FROM attachment_pieces"] {
            #expect(throws: PostgresError.self, "PostgreSQL: \(sql)") { try connection.script(sql) }
        }
        #expect(try Self.contents(postgres) == [AttachmentFixtures.pdfSHA256: AttachmentFixtures.pdf])
    }
}
