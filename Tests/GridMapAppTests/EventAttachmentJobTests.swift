import Foundation
import GridMapApp
import GridMapCore
import GridStore
import Testing

/// Attaching files through the event desk and the journal, and handing them out by role, on the
/// tiny town (TT-001's liaison 赵联络员; TT-002 has no team).
@Suite("The event desk's attachments")
struct EventAttachmentJobTests {
    /// A PNG's signature and a little text: a "photo" whose bytes the tests know.
    static let photo = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("the repaired well".utf8))
    static let notice = Data("%PDF-1.4\n% 整改通知书\n".utf8)
    static let start = EventDeskTests.start
    static let tt001 = GridCode("TT-001")!

    static func read(_ content: AttachmentContent) throws -> Data {
        var data = Data()
        try content.forEachPiece { data.append($0) }
        return data
    }

    @Test("files attached on raising and on a later action read back whole, by number or hash, for the office and the grid's own worker")
    func roundTrip() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        let raised = try desk.raise(EventDeskTests.ditch, by: liaison, at: Self.start,
                                    attaching: [AttachmentFile(name: "notice.pdf", bytes: Self.notice)])
        _ = try desk.act(on: raised.id, .take(deadline: nil), by: liaison, at: Self.start.addingTimeInterval(60))
        let resolved = try desk.act(on: raised.id, .resolve(department: nil), by: liaison, note: "修好了", at: Self.start.addingTimeInterval(3600),
                                    attaching: [AttachmentFile(name: "well.png", bytes: Self.photo), AttachmentFile(name: "again.pdf", bytes: Self.notice)])
        #expect(resolved.attachments.map(\.fileName) == ["notice.pdf", "well.png", "again.pdf"])
        #expect(resolved.attachments.map(\.mediaType) == ["application/pdf", "image/png", "application/pdf"])
        #expect(try town.store.attachmentHashes().count == 2, "the notice attached twice is kept once")
        for role in [ResidentRole.office, .gridWorker(Self.tt001)] {
            let viewer = Viewer(account: nil, role: role, actor: nil)
            #expect(try Self.read(desk.attachment(of: raised.id, "2", for: viewer)) == Self.photo, "\(role)")
            let byHash = try desk.attachment(of: raised.id, resolved.attachments[0].sha256, for: viewer)
            #expect(try byHash.attachment.fileName == "notice.pdf" && Self.read(byHash) == Self.notice, "\(role)")
        }
        do { _ = try desk.attachment(of: raised.id, "4", for: Viewer(account: nil, role: .office, actor: nil)); Issue.record("found") } catch {
            #expect(error.kind == .notFound && error.message.contains("EV-000001 has no attachment 4; it has 3"), "\(error)")
        }
    }

    @Test("the public and other grids' workers are refused an event's attachments, as its free text")
    func roleRefusals() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let event = try desk.raise(EventDeskTests.ditch, by: try desk.actor("TT-001/liaison"), at: Self.start,
                                   attaching: [AttachmentFile(name: "well.png", bytes: Self.photo)])
        for role in [ResidentRole.public, .gridWorker(GridCode("TT-002")!)] {
            do { _ = try desk.attachment(of: event.id, "1", for: Viewer(account: nil, role: role, actor: nil)); Issue.record("\(role) got it") } catch {
                #expect(error.kind == .forbidden && error.message.contains("shown to the office and the grid worker of TT-001 only"), "\(role): \(error)")
            }
        }
        do { _ = try desk.attachment(of: event.id, "1", for: Viewer(account: nil, role: .gridWorker(GridCode("TT-009")!), actor: nil)) } catch {
            #expect(error.kind == .invalidRequest && error.message.contains("the town has no grid TT-009"), "\(error)")
        }
    }

    @Test("too many files, a file too large or of another type are refused before anything is recorded")
    func refusals() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let liaison = try desk.actor("TT-001/liaison")
        let cases: [([AttachmentFile], String)] = [
            (Array(repeating: AttachmentFile(name: "p.png", bytes: Self.photo), count: 21), "21 attachments: an entry brings at most 20"),
            ([AttachmentFile(name: "huge.png", bytes: Self.photo + Data(count: 10 << 20))], "attachment huge.png is larger than 10 MiB"),
            ([AttachmentFile(name: "ok.png", bytes: Self.photo), AttachmentFile(name: "a.jpg", bytes: Data("GIF89a".utf8))],
             "attachment a.jpg is not a JPEG, PNG, WebP or PDF file"),
            ([AttachmentFile(path: "/nonexistent/p.png")], "attachment /nonexistent/p.png cannot be read"),
        ]
        for (files, message) in cases {
            do { _ = try desk.raise(EventDeskTests.ditch, by: liaison, at: Self.start, attaching: files); Issue.record("accepted \(message)") } catch {
                #expect(error.kind == .invalidRequest && error.message.contains(message) && error.message.hasSuffix("nothing was recorded."), "\(error)")
            }
        }
        #expect(try desk.events(EventQuery()).isEmpty && town.store.attachmentHashes().isEmpty, "the store is unchanged")
    }

    @Test("a journal line attaches files by their path relative to the journal; a bad one names its line and records nothing")
    func journal() throws {
        let town = try TestTown(roads: false)
        defer { town.remove() }
        let desk = try EventDesk(store: town.store)
        let folder = town.folder.appendingPathComponent("ledger/photos")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.photo.write(to: folder.appendingPathComponent("well.png"))
        try Data("not a photo".utf8).write(to: folder.appendingPathComponent("fake.jpg"))
        let lines = [
            #"{"do":"raise","key":"E1","at":"2026-03-02 09:10","as":"TT-001/liaison","category":"roads-and-water","point":[119.803,35.903],"description":"井坏了","attachments":["photos/well.png"]}"#,
            #"{"do":"take","event":"E1","at":"2026-03-02 10:00","as":"TT-001/liaison"}"#,
            #"{"do":"resolve","event":"E1","at":"2026-03-03 10:00","as":"TT-001/liaison","attachments":["photos/well.png"]}"#,
        ]
        let bad = town.folder.appendingPathComponent("ledger/bad.jsonl")
        try (lines + [lines[2].replacingOccurrences(of: "well.png", with: "fake.jpg")]).joined(separator: "\n").write(to: bad, atomically: true, encoding: .utf8)
        do { try EventJournal(desk: desk, name: "bad.jsonl").record(file: bad.path, now: Date()); Issue.record("accepted") } catch {
            #expect(error.message.contains("bad.jsonl line 4: attachment") && error.message.contains("fake.jpg is not a JPEG"), "\(error)")
        }
        #expect(try desk.events(EventQuery()).isEmpty && town.store.attachmentHashes().isEmpty, "nothing was recorded")
        let good = town.folder.appendingPathComponent("ledger/good.jsonl")
        try lines.joined(separator: "\n").write(to: good, atomically: true, encoding: .utf8)
        try EventJournal(desk: desk, name: "good.jsonl").record(file: good.path, now: Date())
        let event = try desk.event("EV-000001")
        #expect(event.attachments.map(\.fileName) == ["well.png", "well.png"] && event.phase == .awaitingVerification)
        #expect(try Self.read(desk.attachment(of: event.id, "2", for: Viewer(account: nil, role: .office, actor: nil))) == Self.photo)
        #expect(try town.store.attachmentHashes().count == 1)
    }
}
