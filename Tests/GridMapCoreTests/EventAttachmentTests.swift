import Foundation
import GridMapCore
import Testing

@Suite("Event attachments in the flow")
struct EventAttachmentTests {
    typealias F = FlowFixture

    static func file(_ name: String, _ digit: Character = "a", bytes: Int = 1000, type: String = "image/jpeg") -> EventAttachment {
        EventAttachment(sha256: String(repeating: digit, count: 64), byteCount: bytes, mediaType: type, fileName: name)
    }

    @Test("a file's type is recognised by its first bytes: JPEG, PNG, WebP and PDF, nothing else")
    func magicBytes() {
        let known: [([UInt8], String?)] = [
            ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] + Array("JFIF".utf8), "image/jpeg"),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D], "image/png"),
            (Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), "image/webp"),
            (Array("%PDF-1.7\n".utf8), "application/pdf"),
            (Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8), nil),  // a WAV: RIFF, but not WebP
            (Array("GIF89a".utf8), nil),
            (Array("<svg xmlns=".utf8), nil),
            ([0x89, 0x50, 0x4E, 0x47], nil),  // a PNG's signature cut short
            ([], nil),
        ]
        for (header, type) in known {
            #expect(AttachmentLimits.mediaType(ofHeader: header) == type, "\(header)")
        }
    }

    @Test("the standard limits are 10 MiB a file and 20 files an entry, of JPEG, PNG, WebP and PDF")
    func standardLimits() {
        let limits = EventCatalogue.standard.attachmentLimits
        #expect(limits.maximumBytes == 10 * 1024 * 1024 && limits.maximumCount == 20)
        #expect(limits.mediaTypes == ["image/jpeg", "image/png", "image/webp", "application/pdf"])
        #expect(AttachmentLimits.sizeText(limits.maximumBytes) == "10 MiB" && AttachmentLimits.sizeText(1536) == "1.5 KiB")
        #expect(limits.problem(with: (1...20).map { Self.file("p\($0).jpg") }) == nil)
        #expect(limits.problem(with: (1...21).map { Self.file("p\($0).jpg") }) == "21 attachments; an entry brings at most 20")
        #expect(limits.problem(with: [Self.file("big.jpg", bytes: 10 << 20)]) == nil, "exactly the limit is allowed")
        #expect(limits.problem(with: [Self.file("big.jpg", bytes: (10 << 20) + 1)])?.hasPrefix("attachment big.jpg has 10485761 bytes; the limit is 10485760") == true)
        #expect(limits.problem(with: [EventAttachment(sha256: "abc", byteCount: 1, mediaType: "image/png", fileName: "x.png")])?.contains("not named by a SHA-256") == true)
    }

    @Test("a later entry brings files within the limits; GridMap's escalations bring none, and a raise brings its files in its report")
    func laterEntries() throws {
        var event = try F.raised()
        let many = (1...21).map { Self.file("p\($0).jpg") }
        #expect(refusal {
            try event.record(EventEntry(at: F.hours(1), actor: F.liaison, action: .take(deadline: nil), attachments: many), catalogue: F.catalogue)
        }?.contains("cannot take: 21 attachments; an entry brings at most 20") == true)
        #expect(event.history.count == 1, "the refused entry left the case as it was")
        #expect(refusal {
            try event.apply(EventEntry(at: F.hours(1), actor: .system, action: .escalate(EventStep(kind: .resolution, department: nil, deadline: F.hours(1))),
                                       attachments: [Self.file("a.jpg")]), catalogue: F.catalogue)
        }?.contains("GridMap's own entries bring no attachments") == true)
        #expect(refusal {
            _ = try EventCase(id: "EV-2", raised: EventEntry(at: F.start, actor: F.liaison, action: .raise(F.report()), attachments: [Self.file("a.jpg")]),
                              catalogue: F.catalogue)
        }?.contains("a raise brings its attachments in its report") == true)
    }

    @Test("an event's attachments are numbered from its raise on, and found by number or by hash")
    func numbering() throws {
        var report = F.report()
        report.attachments = [Self.file("ditch.jpg", "a"), Self.file("map.pdf", "b", type: "application/pdf")]
        var event = try F.raised(report)
        try event.record(EventEntry(at: F.hours(1), actor: F.liaison, action: .take(deadline: nil)), catalogue: F.catalogue)
        try event.record(EventEntry(at: F.hours(5), actor: F.liaison, action: .resolve(department: nil), attachments: [Self.file("fixed.jpg", "c"), Self.file("ditch-again.jpg", "a")]),
                         catalogue: F.catalogue)
        #expect(event.attachments.map(\.fileName) == ["ditch.jpg", "map.pdf", "fixed.jpg", "ditch-again.jpg"])
        #expect(event.attachment("3")?.fileName == "fixed.jpg" && event.attachment("1")?.fileName == "ditch.jpg")
        #expect(event.attachment(String(repeating: "a", count: 64))?.fileName == "ditch.jpg", "a hash names its first use")
        #expect(event.attachment(String(repeating: "C", count: 64))?.fileName == "fixed.jpg", "a hash in capitals is the same hash")
        #expect(event.attachment("0") == nil && event.attachment("5") == nil && event.attachment(String(repeating: "d", count: 64)) == nil)
        #expect(event.history[2].files.count == 2 && event.history[0].files.count == 2 && event.history[1].files.isEmpty)
    }
}
