import CGDAL

/// GDAL's error and warning messages during one piece of work, caught on the calling thread.
///
/// GDAL reports through CPL's error handler. The global one (`CPLSetErrorHandler`) is shared by
/// every thread and prints to standard error; the handler stack (`CPLPushErrorHandlerEx`) is
/// per thread, so ``capture(_:)`` pushes a handler whose user data is this box for the length of
/// the work and pops it after: concurrent readers on other threads never see each other's
/// messages, and nothing is printed behind the caller's back.
final class CPLMessages {
    /// Messages of class CE_Failure or CE_Fatal, in order.
    private(set) var errors: [String] = []
    /// Messages of class CE_Warning, in order.
    private(set) var warnings: [String] = []

    /// Runs `work` with this box as the thread's CPL error handler.
    func capture<T>(_ work: () throws -> T) rethrows -> T {
        let box = Unmanaged.passUnretained(self).toOpaque()
        CPLPushErrorHandlerEx(cplMessageHandler, box)
        defer { CPLPopErrorHandler() }
        return try work()
    }

    /// The errors caught since the last call, joined, or `fallback`; the box is emptied.
    func takeErrors(or fallback: String) -> String {
        defer { errors.removeAll() }
        return errors.isEmpty ? fallback : errors.joined(separator: "; ")
    }

    /// The warnings caught since the last call; the box forgets them.
    func takeWarnings() -> [String] {
        defer { warnings.removeAll() }
        return warnings
    }

    fileprivate func record(_ level: CPLErr, _ message: String) {
        switch level {
        case CE_Failure, CE_Fatal: errors.append(message)
        case CE_Warning: warnings.append(message)
        default: break  // CE_None and CE_Debug: GDAL's chatter, not the user's business
        }
    }
}

/// The C handler: finds its box in the handler's user data (set by `CPLPushErrorHandlerEx`).
private func cplMessageHandler(_ level: CPLErr, _ number: CPLErrorNum, _ message: UnsafePointer<CChar>?) {
    guard let data = CPLGetErrorHandlerUserData() else { return }
    let box = Unmanaged<CPLMessages>.fromOpaque(data).takeUnretainedValue()
    box.record(level, message.map { String(cString: $0) } ?? "error \(number)")
}
