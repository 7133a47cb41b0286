import Foundation
import Testing
@testable import gridmap

@Suite("Atomic file writes")
struct AtomicFileTests {
    typealias Workspace = TownCommandsTests.Workspace

    @Test("a regular file is replaced whole and no temporary file is left behind")
    func regularFileIsReplaced() throws {
        let work = try Workspace()
        defer { work.remove() }
        let file = work.file("report.txt")
        try Data("old".utf8).write(to: file)
        try AtomicFile.write(to: file) { try Data("new".utf8).write(to: $0) }
        #expect(try String(contentsOf: file, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
            .filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test("a file with personal data is its owner's alone (0600), even when an older file was readable by all")
    func ownerOnlyFile() throws {
        let work = try Workspace()
        defer { work.remove() }
        let file = work.file("ledger-report.txt")
        try Data("old".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try AtomicFile.write(to: file, ownerOnly: true) { try Data("names".utf8).write(to: $0) }
        #expect(try String(contentsOf: file, encoding: .utf8) == "names")
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
    }

    @Test("a failed write leaves the old file as it was")
    func failedWriteKeepsOldFile() throws {
        let work = try Workspace()
        defer { work.remove() }
        let file = work.file("report.txt")
        try Data("old".utf8).write(to: file)
        #expect(throws: CocoaError.self) {
            try AtomicFile.write(to: file) { temporary in
                try Data("half".utf8).write(to: temporary)
                throw CocoaError(.fileWriteUnknown)
            }
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "old")
    }

    @Test("a symbolic link keeps pointing at its file, which gets the new contents")
    func symbolicLinkIsFollowed() throws {
        let work = try Workspace()
        defer { work.remove() }
        let target = work.file("target.txt"), link = work.file("link.txt")
        try Data("old".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try AtomicFile.write(to: link) { try Data("new".utf8).write(to: $0) }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
    }

    @Test("a named pipe (like /dev/null, not a regular file) is written to, not replaced by a file")
    func namedPipeIsWrittenThrough() throws {
        let work = try Workspace()
        defer { work.remove() }
        let pipe = work.file("pipe")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        // A non-blocking reader lets the writer open the pipe without waiting for anyone.
        let reader = open(pipe.path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        try AtomicFile.write(to: pipe) { try Data("through".utf8).write(to: $0) }
        var status = stat()
        #expect(lstat(pipe.path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO, "the pipe is still a pipe")
        var buffer = [UInt8](repeating: 0, count: 16)
        let got = read(reader, &buffer, buffer.count)
        #expect(got == 7 && String(decoding: buffer[0..<7], as: UTF8.self) == "through")
    }
}
