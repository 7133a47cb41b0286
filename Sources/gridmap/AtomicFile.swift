import Foundation

/// Writes a file through a temporary sibling renamed into place, so that a failure half-way
/// leaves the old file (or none), never a truncated one.
enum AtomicFile {
    /// Calls `body` with the path to write, then moves the result into place.
    ///
    /// A symbolic link is followed (the file it names is replaced, the link stays). A destination
    /// that exists but is not a regular file — `/dev/null`, `/dev/stdout`, a named pipe — is
    /// written to directly: renaming onto it would replace the device itself with a file.
    /// With `ownerOnly` (a file with personal data), the new file is created 0600 before a byte
    /// is written, so no other local user can read it at any moment.
    static func write<T>(to file: URL, ownerOnly: Bool = false, _ body: (URL) throws -> T) throws -> T {
        let destination = file.resolvingSymlinksInPath()
        var status = stat()
        if stat(destination.path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            return try body(destination)
        }
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            if ownerOnly {
                let created = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
                guard created >= 0 else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path,
                        NSLocalizedDescriptionKey: "cannot create the new file: \(String(cString: strerror(errno)))"])
                }
                close(created)
                _ = chmod(temporary.path, 0o600)  // O_TRUNC kept an older leftover's mode
            }
            let result = try body(temporary)
            // rename(2) replaces the old file in one step (same folder, same file system).
            guard rename(temporary.path, destination.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path,
                    NSLocalizedDescriptionKey: "cannot move the new file into place: \(String(cString: strerror(errno)))"])
            }
            return result
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
