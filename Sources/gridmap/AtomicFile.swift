import Foundation

/// Writes a file through a temporary sibling renamed into place, so that a failure half-way
/// leaves the old file (or none), never a truncated one.
enum AtomicFile {
    /// Calls `body` with the path to write, then moves the result into place.
    ///
    /// A symbolic link is followed (the file it names is replaced, the link stays). A destination
    /// that exists but is not a regular file — `/dev/null`, `/dev/stdout`, a named pipe — is
    /// written to directly: renaming onto it would replace the device itself with a file.
    static func write<T>(to file: URL, _ body: (URL) throws -> T) throws -> T {
        let destination = file.resolvingSymlinksInPath()
        var status = stat()
        if stat(destination.path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            return try body(destination)
        }
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
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
