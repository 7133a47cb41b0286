// PROJ: safe Swift over the PROJ 9.1 C API (CRS, Transformer, geodesic distance).
//
// Threading model
// ---------------
// A PROJ context (`PJ_CONTEXT*`) and every object created in it (`PJ*`) may be used by one thread
// at a time. GridMap follows PROJ's own rule: one context per thread.
//
// - `PROJContext`, `CRS` and `Transformer` are deliberately not `Sendable`: the compiler keeps each
//   of them inside the isolation domain (thread) that made it.
// - To work on several threads, give each worker its own `PROJContext` and its own copy of the
//   transformation: either `Transformer.clone(into:)` (which calls `proj_clone`) made by the thread
//   that owns the original, or `TransformDefinition.makeTransformer(context:)` on the worker, since a
//   `TransformDefinition` (the two CRS definitions) is `Sendable`.
// - `Transformer.transformInParallel` does exactly that for large arrays: one context and one clone
//   per chunk, each chunk on its own thread.
// - `Geodesic` holds no PROJ handle (a plain `geod_geodesic` struct) and is `Sendable`.

import CPROJ

/// Owns one `PJ_CONTEXT*` (`proj_context_create` / `proj_context_destroy`).
///
/// The context is set up for GridMap's needs: network access off (`proj_context_set_enable_network`),
/// so that no transformation silently downloads grids, and PROJ's log routed into this object
/// (`proj_log_func`) instead of stderr, so that PROJ's words end up in the thrown `PROJError`.
///
/// Every `CRS` and `Transformer` made in a context keeps it alive: PROJ objects must be destroyed
/// before their context.
public final class PROJContext {
    /// The `PJ_CONTEXT*`, valid for the lifetime of `self`.
    let handle: OpaquePointer
    /// PROJ's log lines since the last `clearLog()`, filled by the C log callback.
    private let log: PROJLog

    /// Creates a context with network access off and PROJ's error log captured.
    public init() {
        guard let handle = proj_context_create() else {
            fatalError("proj_context_create returned NULL (out of memory)")
        }
        self.handle = handle
        self.log = PROJLog()
        _ = proj_context_set_enable_network(handle, 0)
        // Keep PROJ's default level (errors only) but send the lines to `log`, not stderr.
        _ = proj_log_level(handle, PJ_LOG_ERROR)
        proj_log_func(handle, Unmanaged.passUnretained(log).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            Unmanaged<PROJLog>.fromOpaque(appData).takeUnretainedValue().append(String(cString: message))
        }
    }

    deinit {
        proj_context_destroy(handle)
    }

    /// Forgets earlier log lines; called before each C call whose failure we may report.
    func clearLog() {
        log.lines.removeAll(keepingCapacity: true)
    }

    /// PROJ's explanation of the last failure in this context: the lines it logged (e.g.
    /// "proj_create: crs not found"), which are the most specific; when it logged nothing,
    /// `proj_context_errno_string` of `errorCode` (an object's `proj_errno`) or of
    /// `proj_context_errno`.
    func failureMessage(errorCode: Int32? = nil) -> String {
        if !log.lines.isEmpty { return log.lines.joined(separator: "; ") }
        let code = errorCode ?? proj_context_errno(handle)
        if code != 0, let text = proj_context_errno_string(handle, code) { return String(cString: text) }
        return "PROJ gave no reason"
    }
}

/// The lines PROJ logged through the context's log callback. Only touched by the thread that is
/// using the context, so it needs no lock.
private final class PROJLog {
    /// Bounded so that a long-lived context that keeps failing cannot grow without limit.
    private static let maximumLines = 16
    var lines: [String] = []

    func append(_ line: String) {
        if lines.count == Self.maximumLines { lines.removeFirst() }
        lines.append(line)
    }
}
