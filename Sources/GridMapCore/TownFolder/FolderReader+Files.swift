import Foundation

/// Whether a file of the town folder can be read, asked before it is opened: a file that is
/// there but cannot be read must be an error naming the cause, never taken for an absent file
/// (an unreadable residents.csv once imported as "0 residents" over a full register).
extension FolderReader {
    /// What the folder holds under one name.
    enum Entry: Equatable {
        /// No such name in the folder (not even a link): an optional file may be left out.
        case absent
        /// A regular file (or a link to one) that opens for reading.
        case readable
        /// Something is there but cannot be read as a file; the words say why.
        case unreadable(String)
    }

    /// What `file` is. A link is followed; a dangling link, a directory, a FIFO, a device or a
    /// socket is unreadable (a FIFO would also block the reader), and so is a regular file that
    /// does not open (permission denied), with the system's words for the cause.
    func entry(_ file: String) -> Entry {
        let path = directory.appendingPathComponent(file).path
        var own = stat()
        guard lstat(path, &own) == 0 else {
            return errno == ENOENT ? .absent : .unreadable(String(cString: strerror(errno)))
        }
        let isLink = own.st_mode & S_IFMT == S_IFLNK
        let target = isLink ? (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) : nil
        let link = target.map { " (a link to \"\($0)\")" } ?? ""
        var status = stat()
        guard stat(path, &status) == 0 else {
            let cause = String(cString: strerror(errno))
            return .unreadable(errno == ENOENT && isLink ? "\(cause): a link to \"\(target ?? "?")\", which does not exist" : cause + link)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .unreadable(String(cString: strerror(EISDIR)) + link)
        case S_IFIFO: return .unreadable("not a regular file but a FIFO" + link)
        case S_IFCHR: return .unreadable("not a regular file but a character device" + link)
        case S_IFBLK: return .unreadable("not a regular file but a block device" + link)
        case S_IFSOCK: return .unreadable("not a regular file but a socket" + link)
        default: return .unreadable("not a regular file" + link)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .unreadable(String(cString: strerror(errno)) + link) }
        close(descriptor)
        return .readable
    }

    /// Reports `file` when it is there but cannot be read, and marks it incomplete; returns
    /// whether it can be read (false too when absent, which is reported only when `required`).
    func checkReadable(_ file: String, required: Bool, missing: String = "missing") -> Bool {
        switch entry(file) {
        case .readable:
            return true
        case .absent:
            if required { problem(.file, file, missing) }
        case .unreadable(let cause):
            problem(.file, file, "cannot be read: \(cause)")
        }
        incomplete.insert(file)
        return false
    }
}
