import ArgumentParser
import ByteOutput
import Foundation
import GridMapApp
import GridMapCore

/// `gridmap event attachment`: one of an event's files written back, for those who may see it.
struct EventAttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment", abstract: "Write one of an event's attachments to a file (created 0600).",
        discussion: """
            The attachment is named by its number (gridmap event show lists them: 1 is the first \
            file the event was raised with, later entries' files follow) or by its SHA-256. Like \
            the event's free text, attachments may show people: they are given to the office and \
            to the grid worker of the event's grid (--role), refused to anyone else. An existing \
            --out file is refused unless --force replaces it.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The event, e.g. EV-000001.", valueName: "id"))
    var id: String
    @Argument(help: ArgumentHelp("The attachment's number (from 1) or SHA-256.", valueName: "hash-or-number"))
    var which: String
    @OptionGroup var role: RoleOptions
    @Option(help: ArgumentHelp("The file to write.", valueName: "file"))
    var out: String
    @Flag(help: "Replace --out when it exists.")
    var force = false

    func run() throws {
        let desk = try EventDesk(store: store.stores.openWithTown())
        let content = try desk.attachment(of: id, which, for: Viewer(account: nil, role: try role.parsed, actor: nil))
        func write(_ path: String) throws {
            let sink = try FileSink(path: path, permissions: 0o600, name: out)
            try content.forEachPiece { piece in
                // The sink's typed error is handed out of the closure rather than thrown through it.
                let failure = piece.withUnsafeBytes { bytes -> OutputError? in
                    do throws(OutputError) { try sink.write(bytes) } catch { return error }
                    return nil
                }
                if let failure { throw failure }
            }
            try sink.synchronize()
        }
        if force {
            try AtomicFile.write(to: URL(fileURLWithPath: out), ownerOnly: true) { temporary in try write(temporary.path) }
        } else {
            try Self.writeNew(out, write)
        }
        let file = content.attachment
        StandardError.write("gridmap event attachment: \(out) (\(file.fileName), \(file.mediaType), \(file.byteCount) bytes, sha256 \(file.sha256))")
    }

    /// Writes a file that must not exist yet: through a temporary sibling (created 0600) linked
    /// to `path`, which fails rather than replace a file that appeared in between.
    static func writeNew(_ path: String, _ write: (String) throws -> Void) throws {
        var status = stat()
        if lstat(path, &status) == 0 { throw JobError.invalidRequest("\(path) exists; --force replaces it.") }
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
        defer { unlink(temporary) }
        try write(temporary)
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { throw JobError.invalidRequest("\(path) exists; --force replaces it.") }
            throw JobError.cannotStart("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }
}
