import ByteOutput
import Foundation

/// Puts a whole new folder where an old one was, so that a reader — and a failure — sees either
/// the old folder exactly as it was or the new one complete, never a mix.
///
/// The new folder is written beside the target (same parent, so the same file system) under a
/// hidden name, `.NAME.new-PID`; every file is synced to the disk, then the folder is swapped in:
/// - on Linux with `renameat2(RENAME_EXCHANGE)` (looked up at run time: Glibc's Swift module does
///   not declare it), which exchanges the two names in one step, then the old folder, now under
///   the hidden name, is removed;
/// - elsewhere, or on a file system without the exchange, by two renames: the old folder to
///   `.NAME.old-PID`, the new one to NAME. Between the two a reader finds no folder at NAME, and
///   a crash there leaves the old folder whole under its hidden name (nothing is lost, but it
///   must be renamed back by hand).
/// A failure before the swap removes the hidden folder and leaves the target untouched. Errors
/// name the file by its final path and say what failed in `strerror`'s words.
struct FolderReplacement {
    /// The folder to replace (or create), symbolic links already resolved.
    let target: URL
    /// The new folder's files are the owner's alone (folder 0700, files 0600): personal data.
    let ownerOnly: Bool

    /// Writes `files` into a new folder, links `kept` (names of files in the old folder) into it
    /// unchanged, and swaps it in for `target`.
    func replace(with files: [(name: String, bytes: [UInt8])], keeping kept: [String]) throws(TownFolderError) {
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw failure("cannot create the folder \(parent.path): \(FileError.describe(error))")
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let fresh = sibling("new-\(pid)")
        try? FileManager.default.removeItem(at: fresh)  // a leftover of an earlier run with this pid
        guard mkdir(fresh.path, ownerOnly ? 0o700 : 0o755) == 0 else {
            throw failure("cannot create a new folder beside \(target.path): \(FileError.lastError)")
        }
        do throws(TownFolderError) {
            _ = chmod(fresh.path, ownerOnly ? 0o700 : 0o755)  // the umask may have narrowed 0755
            for file in files { try write(file, into: fresh) }
            for name in kept {
                var status = stat()
                guard lstat(target.appendingPathComponent(name).path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
                    throw failure("\(target.appendingPathComponent(name).path) is not a plain file, so it cannot be kept in the new folder; move it out of the town folder first")
                }
                guard link(target.appendingPathComponent(name).path, fresh.appendingPathComponent(name).path) == 0 else {
                    throw failure("cannot keep \(target.appendingPathComponent(name).path) in the new folder: \(FileError.lastError)")
                }
            }
            try FileError.synchronizeFolder(fresh, shownAs: target)
            try swapIn(fresh)
        } catch {
            try? FileManager.default.removeItem(at: fresh)
            throw error
        }
        try? FileError.synchronizeFolder(parent, shownAs: parent)
    }

    private func write(_ file: (name: String, bytes: [UInt8]), into folder: URL) throws(TownFolderError) {
        do throws(OutputError) {
            let sink = try FileSink(path: folder.appendingPathComponent(file.name).path, permissions: ownerOnly ? 0o600 : 0o644,
                                    name: target.appendingPathComponent(file.name).path)
            var failed: OutputError?
            file.bytes.withUnsafeBytes { bytes in
                do throws(OutputError) { try sink.write(bytes) } catch { failed = error }
            }
            if let failed { throw failed }
            try sink.synchronize()
        } catch {
            throw failure(error.message)  // the message names the file by its path
        }
    }

    /// Moves the complete folder `fresh` to `target`, replacing what was there.
    private func swapIn(_ fresh: URL) throws(TownFolderError) {
        if rename(fresh.path, target.path) == 0 { return }  // no folder there yet (or an empty one)
        guard errno == EEXIST || errno == ENOTEMPTY else {
            throw failure("cannot move the new folder to \(target.path): \(FileError.lastError)")
        }
        if Self.exchange(fresh.path, target.path) {
            // `fresh` now names the old folder.
            do {
                try FileManager.default.removeItem(at: fresh)
            } catch {
                throw failure("the new folder is in place, but the old one, moved to \(fresh.path), cannot be removed: \(FileError.describe(error))")
            }
            return
        }
        let old = sibling("old-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: old)
        guard rename(target.path, old.path) == 0 else {
            throw failure("cannot move the old folder \(target.path) aside: \(FileError.lastError)")
        }
        guard rename(fresh.path, target.path) == 0 else {
            let reason = FileError.lastError
            _ = rename(old.path, target.path)  // put the old folder back as it was
            throw failure("cannot move the new folder to \(target.path): \(reason)")
        }
        do {
            try FileManager.default.removeItem(at: old)
        } catch {
            throw failure("the new folder is in place, but the old one, moved to \(old.path), cannot be removed: \(FileError.describe(error))")
        }
    }

    /// A hidden name beside the target: `.NAME.SUFFIX`.
    private func sibling(_ suffix: String) -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(suffix)")
    }

    private func failure(_ message: String) -> TownFolderError {
        TownFolderError(file: "", message: message)
    }

    #if canImport(Glibc)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
    /// glibc's `renameat2` (2.28 and later), found by `dlsym` because Swift's Glibc module does
    /// not declare it; nil on an older C library.
    private static let renameAt2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif

    /// Exchanges the two paths in one step (`renameat2` with `RENAME_EXCHANGE`, which is 2 in
    /// <linux/fs.h>); false when the system or the file system cannot, and nothing was changed.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        #if canImport(Glibc)
        guard let renameAt2 else { return false }
        return renameAt2(AT_FDCWD, a, AT_FDCWD, b, 2) == 0
        #else
        return false
        #endif
    }
}

/// File-system failures in words: `strerror`'s text, also for the errors Foundation wraps
/// ("No space left on device", never "NSCocoaErrorDomain error 512").
enum FileError {
    /// `strerror(errno)`.
    static var lastError: String { String(cString: strerror(errno)) }

    /// The POSIX cause of a Foundation error when it has one, else its own description.
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }

    /// Syncs a folder's entries (names created or renamed in it) to the disk.
    static func synchronizeFolder(_ folder: URL, shownAs shown: URL) throws(TownFolderError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TownFolderError(file: "", message: "cannot open \(shown.path) to sync it: \(lastError)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw TownFolderError(file: "", message: "cannot sync \(shown.path) to the disk: \(lastError)") }
    }
}
