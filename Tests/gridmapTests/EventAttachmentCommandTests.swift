import Foundation
import Testing

@Suite("gridmap event --attach and gridmap event attachment")
struct EventAttachmentCommandTests {
    /// A JPEG's signature and 300,000 more bytes: more than one piece on the way in and out.
    static let photo = Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    /// What Python's hashlib says of a known PDF's bytes.
    static let notice = Data("%PDF-1.7\n% a rectification notice\n".utf8)
    static let noticeSHA256 = "ed50bc9ab99256a47b641d4a336a7aa070312ceff0edb1a360d197961c58195e"

    @Test("files attached on raise and verify come back byte for byte, by number or hash, into a new 0600 file; an existing one only with --force")
    func roundTrip() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func event(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(["event"] + arguments + ["--db", work.db]) }
        try Self.photo.write(to: work.file("well.jpg"))
        try Self.notice.write(to: work.file("notice.pdf"))
        let raised = try event(["raise", "--as", "TT-001/liaison", "--category", "roads-and-water", "--point", "119.803,35.903",
                                "--description", "水井损坏", "--time", "2026-11-01 08:00", "--attach", work.file("notice.pdf").path])
        #expect(raised.status == 0, "\(raised.stderr)")
        for step in [["take", "EV-000001", "--as", "TT-001/liaison", "--time", "2026-11-01 09:00"],
                     ["resolve", "EV-000001", "--as", "TT-001/liaison", "--time", "2026-11-01 12:00", "--attach", work.file("notice.pdf").path],
                     ["verify", "EV-000001", "--as", "TT-001/liaison", "--time", "2026-11-01 15:00", "--attach", work.file("well.jpg").path]] {
            let result = try event(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let shown = try event(["show", "EV-000001", "--role", "office"]).stdout
        #expect(shown.contains("  attachment 1: notice.pdf, application/pdf, 34 bytes, sha256 \(Self.noticeSHA256)"), "\(shown)")
        #expect(shown.contains("  attachment 3: well.jpg, image/jpeg, 300004 bytes, sha256 "), "\(shown)")
        #expect(shown.contains("verify  by TT-001 liaison 赵联络员 [attachment 3]"), "\(shown)")

        let out = work.file("out/well-back.jpg")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        let written = try event(["attachment", "EV-000001", "3", "--role", "office", "--out", out.path])
        #expect(written.status == 0 && written.stderr.contains("well.jpg, image/jpeg, 300004 bytes"), "\(written.stderr)")
        #expect(try Data(contentsOf: out) == Self.photo)
        let mode = try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try event(["attachment", "EV-000001", Self.noticeSHA256, "--role", "grid-worker:TT-001", "--out", out.path])
        #expect(again.status == 64 && again.stderr.contains("\(out.path) exists; --force replaces it"), "\(again.stderr)")
        #expect(try Data(contentsOf: out) == Self.photo, "the refused write left the file alone")
        let forced = try event(["attachment", "EV-000001", Self.noticeSHA256, "--role", "grid-worker:TT-001", "--out", out.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Data(contentsOf: out) == Self.notice)
        #expect(try FileManager.default.attributesOfItem(atPath: out.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path) == ["well-back.jpg"], "no temporary file left")
    }

    @Test("the public and other grids' workers are refused an attachment and get no file")
    func roleRefusals() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        try Self.notice.write(to: work.file("notice.pdf"))
        #expect(try GridMapExecutable.run(["event", "raise", "--as", "TT-001/liaison", "--category", "roads-and-water", "--point", "119.803,35.903",
                                           "--description", "x", "--attach", work.file("notice.pdf").path, "--db", work.db]).status == 0)
        for role in ["public", "grid-worker:TT-002"] {
            let shown = try GridMapExecutable.run(["event", "show", "EV-000001", "--role", role, "--db", work.db]).stdout
            #expect(shown.contains("  attachments: 1 (shown to the office and the grid's worker)") && !shown.contains("notice.pdf"), "\(role): \(shown)")
            let out = work.file("\(role).pdf")
            let result = try GridMapExecutable.run(["event", "attachment", "EV-000001", "1", "--role", role, "--out", out.path, "--db", work.db])
            #expect(result.status == 64 && result.stderr.contains("shown to the office and the grid worker of TT-001 only"), "\(role): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(role)")
        }
    }

    @Test("a file over 10 MiB, or not a JPEG, PNG, WebP or PDF whatever its name, is refused naming it and the rule; nothing is recorded")
    func refusals() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        func event(_ arguments: [String]) throws -> CommandResult { try GridMapExecutable.run(["event"] + arguments + ["--db", work.db]) }
        try (Self.photo + Data(count: (10 << 20) - Self.photo.count + 1)).write(to: work.file("huge.jpg"))
        try Data("<svg/>".utf8).write(to: work.file("drawing.png"))
        try Self.notice.write(to: work.file("notice.pdf"))
        let raise = ["raise", "--as", "TT-001/liaison", "--category", "roads-and-water", "--point", "119.803,35.903", "--description", "x",
                     "--attach", work.file("notice.pdf").path, "--attach"]
        let huge = try event(raise + [work.file("huge.jpg").path])
        #expect(huge.status == 64 && huge.stderr.contains("attachment \(work.file("huge.jpg").path) is larger than 10 MiB, the limit for one attachment; nothing was recorded"), "\(huge.stderr)")
        let drawing = try event(raise + [work.file("drawing.png").path])
        #expect(drawing.status == 64 && drawing.stderr.contains("drawing.png is not a JPEG, PNG, WebP or PDF file"), "\(drawing.stderr)")
        #expect(try event(["list"]).stdout.split(separator: "\n").count == 1, "no event")
        let exact = work.file("exact.jpg")
        try (Self.photo + Data(count: (10 << 20) - Self.photo.count)).write(to: exact)
        #expect(try event(["raise", "--as", "TT-001/liaison", "--category", "roads-and-water", "--point", "119.803,35.903", "--description", "x",
                           "--attach", exact.path]).status == 0, "exactly 10 MiB is allowed")
        let help = try GridMapExecutable.run(["event", "verify", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("JPEG, PNG, WebP or PDF") && help.contains("at most 10 MiB each and 20 per entry"), "\(help)")
    }
}
