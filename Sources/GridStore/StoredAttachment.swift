import Foundation
import GRDB
import GRDBSQLite
import GridMapCore

/// How attachments sit in SQL (migration "v6: event attachments"): each content once in
/// `attachment_contents`, keyed by its SHA-256; the files a later entry brings in
/// `event_attachments`, one row each, naming their content (a raise's stay in `events.attachments`,
/// as they were since v3). Both tables are append-only, like the histories: triggers refuse any
/// UPDATE or DELETE. The content is written and read with SQLite's incremental blob I/O, a block
/// at a time, so that a 10 MiB photo is never held whole.
enum StoredAttachment {
    static let schema = """
        CREATE TABLE attachment_contents (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            byte_count INTEGER NOT NULL,
            media_type TEXT NOT NULL,
            content BLOB NOT NULL
        );
        CREATE TABLE event_attachments (
            event_id INTEGER NOT NULL REFERENCES events(id),
            seq INTEGER NOT NULL,
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachment_contents(sha256),
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            byte_count INTEGER NOT NULL,
            PRIMARY KEY (event_id, seq, position)
        ) WITHOUT ROWID;
        CREATE TRIGGER attachment_contents_never_change BEFORE UPDATE ON attachment_contents
            BEGIN SELECT RAISE(ABORT, 'an attachment''s content never changes'); END;
        CREATE TRIGGER attachment_contents_never_go BEFORE DELETE ON attachment_contents
            BEGIN SELECT RAISE(ABORT, 'attachments are never deleted'); END;
        CREATE TRIGGER event_attachments_never_change BEFORE UPDATE ON event_attachments
            BEGIN SELECT RAISE(ABORT, 'an event''s history is append-only'); END;
        CREATE TRIGGER event_attachments_never_go BEFORE DELETE ON event_attachments
            BEGIN SELECT RAISE(ABORT, 'an event''s history is append-only'); END;
        """

    static let columns = "event_id, seq, position, sha256, name, media_type, byte_count"

    // MARK: - Contents

    /// Keeps each upload's content unless a content with its hash is kept already, checking it
    /// as it is written (``AttachmentUpload/forEachBlock(_:)``): the caller's transaction is rolled
    /// back on a refusal.
    static func keep(_ uploads: [AttachmentUpload], _ db: Database) throws {
        for upload in uploads {
            let file = upload.attachment
            try db.execute(sql: """
                INSERT INTO attachment_contents (sha256, byte_count, media_type, content) VALUES (?, ?, ?, zeroblob(?))
                ON CONFLICT (sha256) DO NOTHING
                """, arguments: [file.sha256, file.byteCount, file.mediaType, file.byteCount])
            guard db.changesCount == 1 else { continue }  // kept already: once per hash
            let blob = try Blob(db, row: db.lastInsertedRowID, writing: true)
            defer { blob.close() }
            var offset = 0
            do {
                try upload.forEachBlock { block in
                    // A file that grew is refused by forEachBlock once it has seen one byte too many.
                    guard offset + block.count <= file.byteCount, let start = block.baseAddress else { return }
                    try blob.check(sqlite3_blob_write(blob.handle, start, Int32(block.count), Int32(offset)), "writing", db)
                    offset += block.count
                }
            } catch let error as AttachmentError {
                throw BatchAttachments.refusal(error.description)
            }
        }
    }

    /// The kept content named `sha256`, as an attachment without a name; nil when there is none.
    static func kept(_ sha256: String, _ db: Database) throws -> EventAttachment? {
        let sql = "SELECT byte_count, media_type FROM attachment_contents WHERE sha256 = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [sha256]) else { return nil }
        return EventAttachment(sha256: sha256, byteCount: row[0], mediaType: row[1], fileName: "")
    }

    /// Up to `count` bytes of content `sha256` from `offset`; nil when it is not kept.
    static func bytes(_ sha256: String, from offset: Int, count: Int, _ db: Database) throws -> Data? {
        let sql = "SELECT id, byte_count FROM attachment_contents WHERE sha256 = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [sha256]) else { return nil }
        let size: Int = row[1]
        let start = min(max(0, offset), size), length = min(max(0, count), size - start)
        guard length > 0 else { return Data() }
        let blob = try Blob(db, row: row[0], writing: false)
        defer { blob.close() }
        var data = Data(count: length)
        let code = data.withUnsafeMutableBytes { sqlite3_blob_read(blob.handle, $0.baseAddress, Int32(length), Int32(start)) }
        try blob.check(code, "reading", db)
        return data
    }

    static func hashes(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT sha256 FROM attachment_contents ORDER BY sha256")
    }

    /// One content's blob, open for incremental I/O; closed by its owner (``close()``).
    private final class Blob {
        let handle: OpaquePointer

        init(_ db: Database, row: Int64, writing: Bool) throws {
            var opened: OpaquePointer?
            let code = sqlite3_blob_open(db.sqliteConnection, "main", "attachment_contents", "content", row, writing ? 1 : 0, &opened)
            guard code == SQLITE_OK, let opened else {
                sqlite3_blob_close(opened)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "opening an attachment's content: \(db.lastErrorMessage ?? "")")
            }
            handle = opened
        }

        func check(_ code: Int32, _ doing: String, _ db: Database) throws {
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "\(doing) an attachment's content: \(db.lastErrorMessage ?? "")")
            }
        }

        func close() { sqlite3_blob_close(handle) }
    }

    // MARK: - The files entries name

    /// Records the files a later entry (event `number`'s entry `seq`) brings.
    static func insert(_ files: [EventAttachment], number: Int64, seq: Int, _ db: Database) throws {
        let sql = "INSERT INTO event_attachments (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?)"
        for (position, file) in files.enumerated() {
            try db.cachedStatement(sql: sql).execute(arguments: [number, seq, position, file.sha256, file.fileName, file.mediaType, file.byteCount])
        }
    }

    /// The file of an `event_attachments` row (``columns``, from either database), with its event and entry.
    static func file<Columns: StoredColumns>(_ row: Columns) throws -> (event: Int64, seq: Int, file: EventAttachment) {
        let event = try row.integerColumn(0) ?? 0
        guard let seq = try row.integerColumn(1), let sha256 = try row.textColumn(3), let name = try row.textColumn(4),
              let type = try row.textColumn(5), let count = try row.integerColumn(6) else {
            throw StoreError.corrupt("event_attachments, event \(event): a NULL column")
        }
        return (event, Int(seq), EventAttachment(sha256: sha256, byteCount: Int(count), mediaType: type, fileName: name))
    }

    /// Sets the files each entry of `history` brought, from `rows` (its event's, in entry order).
    static func attach<Columns: StoredColumns>(_ rows: [Columns], to history: inout [EventEntry]) throws {
        for row in rows {
            let (event, seq, file) = try Self.file(row)
            guard seq > 0, history.indices.contains(seq) else {
                throw StoreError.corrupt("event_attachments, event \(event): a file of entry \(seq), which the history does not have (or is its raise)")
            }
            history[seq].attachments.append(file)
        }
    }
}
