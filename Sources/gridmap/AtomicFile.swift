import Foundation

/// Writes a file through a temporary sibling renamed into place, so that a failure half-way
/// leaves the old file (or none), never a truncated one.
enum AtomicFile {
    static func write<T>(to file: URL, _ body: (URL) throws -> T) throws -> T {
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            let result = try body(temporary)
            // rename(2) replaces the old file in one step (same folder, same file system).
            guard rename(temporary.path, file.path) == 0 else {
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
