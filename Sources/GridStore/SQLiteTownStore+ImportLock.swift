import Foundation

/// Whether the file store takes an import, asked before any of the import's work.
///
/// Two processes importing into one file at once would each read and check a whole folder, and
/// the second would then wait on SQLite's write lock: instead the first holds an advisory lock
/// (`flock`) on `<file>.import-lock` (created 0600 and left in place, since removing a lock
/// file races with the next one to take it), with its pid and start time written inside, and
/// the second is told at once who holds it. The lock is the kernel's: it goes with the process,
/// so an import killed midway leaves no stale lock.
extension SQLiteTownStore {
    public func reserveForImport() throws(StoreError) -> ImportReservation {
        try checkImportable()
        guard let path else { return ImportReservation(releasing: {}) }
        return try ImportLock.claim(path + ".import-lock", for: path)
    }

    /// Refuses an import into a store opened read-only, or one whose file has tables or columns
    /// the schema does not have (an import would lose their values).
    func checkImportable() throws(StoreError) {
        if access == .readOnly {
            throw .importRefused("cannot import into \(location): the store is open read-only")
        }
        guard unknownSchema.isEmpty else {
            throw .importRefused("cannot import into \(location): " + unknownSchema.joined(separator: "; ")
                + "; importing would lose its values")
        }
    }
}

/// The advisory lock on a store's `<file>.import-lock`.
enum ImportLock {
    /// Takes the lock at `lockPath` without waiting, writing this process's pid and the time
    /// inside; refuses, naming the holder, when another process has it.
    static func claim(_ lockPath: String, for store: String) throws(StoreError) -> ImportReservation {
        // Not through a symbolic link: one planted in a shared folder would have this truncate its target.
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .importRefused("cannot import into \(store): cannot open its import lock \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let failure = errno
            let holder = failure == EWOULDBLOCK ? holder(readFrom: descriptor) : ""
            close(descriptor)
            if failure == EWOULDBLOCK {
                throw .importRefused("another import is running into \(store) (\(holder))")
            }
            throw .importRefused("cannot import into \(store): cannot lock \(lockPath): \(String(cString: strerror(failure)))")
        }
        let record = Array("pid \(getpid()) since \(Date.now.formatted(.iso8601))\n".utf8)
        // The record only informs the next importer: failing to write it does not stop this one.
        if ftruncate(descriptor, 0) == 0 { _ = pwrite(descriptor, record, record.count, 0) }
        return ImportReservation {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// "since <time>, pid <n>" from the holder's record ("pid <n> since <time>").
    private static func holder(readFrom descriptor: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 200)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        let words = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 4, words[0] == "pid", words[2] == "since" else { return "holder unknown" }
        return "since \(words[3]), pid \(words[1])"
    }
}
