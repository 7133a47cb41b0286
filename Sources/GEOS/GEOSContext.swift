import CGEOS

/// Collects the messages GEOS reports through its message handlers.
///
/// The context registers itself with `GEOSContext_setErrorMessageHandler_r` and
/// `GEOSContext_setNoticeMessageHandler_r`, passing an unretained pointer to this box as the
/// user data; the box lives exactly as long as the context that owns it.
final class GEOSMessageBox {
    /// The most recent error message not yet turned into a thrown error.
    var lastError: String?
    /// The most recent notice (warnings such as "Self-intersection at or near point ...").
    var lastNotice: String?
}

/// One GEOS context (`GEOS_init_r` … `GEOS_finish_r`) and the reader/writer handles cached on it.
///
/// Not thread-safe and not `Sendable`: use one context per thread or per confining owner, and keep
/// every object made from it on that thread (see the module overview in `GEOS.swift`).
public final class GEOSContext {
    /// The C context handle; valid for the lifetime of this object.
    let handle: GEOSContextHandle_t
    let messages = GEOSMessageBox()

    private var wktReaderHandle: OpaquePointer?
    private var wktWriterHandle: OpaquePointer?
    private var wkbReaderHandle: OpaquePointer?
    private var wkbWriterHandle: OpaquePointer?

    /// Creates a context with `GEOS_init_r` and routes its error and notice messages to Swift.
    public init() {
        guard let handle = GEOS_init_r() else {
            fatalError("GEOS_init_r returned NULL: out of memory")
        }
        self.handle = handle
        let box = Unmanaged.passUnretained(messages).toOpaque()
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let userData else { return }
            let box = Unmanaged<GEOSMessageBox>.fromOpaque(userData).takeUnretainedValue()
            box.lastError = message.map { String(cString: $0) } ?? "unknown GEOS error"
        }, box)
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, userData in
            guard let userData else { return }
            let box = Unmanaged<GEOSMessageBox>.fromOpaque(userData).takeUnretainedValue()
            box.lastNotice = message.map { String(cString: $0) }
        }, box)
    }

    deinit {
        if let wktReaderHandle { GEOSWKTReader_destroy_r(handle, wktReaderHandle) }
        if let wktWriterHandle { GEOSWKTWriter_destroy_r(handle, wktWriterHandle) }
        if let wkbReaderHandle { GEOSWKBReader_destroy_r(handle, wkbReaderHandle) }
        if let wkbWriterHandle { GEOSWKBWriter_destroy_r(handle, wkbWriterHandle) }
        GEOS_finish_r(handle)
    }

    /// The GEOS library version, e.g. "3.11.1-CAPI-1.17.1".
    public static var version: String { String(cString: GEOSversion()) }

    /// The last notice GEOS emitted on this context, if any.
    public var lastNotice: String? { messages.lastNotice }

    // MARK: Error plumbing

    /// The error to throw after a C call signalled failure: GEOS's own message if its handler
    /// received one, otherwise a note naming the failed call. Clears the stored message.
    func libraryError(_ call: StaticString) -> GEOSError {
        defer { messages.lastError = nil }
        return .library(message: messages.lastError ?? "\(call) failed without a message")
    }

    /// Unwraps a pointer a GEOS call returned, turning NULL into the context's library error.
    func check<T>(_ pointer: T?, _ call: StaticString) throws(GEOSError) -> T {
        guard let pointer else { throw libraryError(call) }
        return pointer
    }

    /// Interprets a GEOS predicate result: 1 true, 0 false, 2 exception.
    func checkPredicate(_ result: CChar, _ call: StaticString) throws(GEOSError) -> Bool {
        switch result {
        case 1: return true
        case 0: return false
        default: throw libraryError(call)
        }
    }

    /// Interprets an `int` status result where 0 means exception (e.g. `GEOSArea_r`).
    func checkStatus(_ result: Int32, _ call: StaticString) throws(GEOSError) {
        if result == 0 { throw libraryError(call) }
    }

    // MARK: Cached readers and writers

    /// The context's WKT reader (`GEOSWKTReader_create_r`), created on first use.
    func wktReader() throws(GEOSError) -> OpaquePointer {
        if let wktReaderHandle { return wktReaderHandle }
        let reader = try check(GEOSWKTReader_create_r(handle), "GEOSWKTReader_create_r")
        wktReaderHandle = reader
        return reader
    }

    /// The context's WKT writer (`GEOSWKTWriter_create_r`), trimmed and 2D, created on first use.
    func wktWriter() throws(GEOSError) -> OpaquePointer {
        if let wktWriterHandle { return wktWriterHandle }
        let writer = try check(GEOSWKTWriter_create_r(handle), "GEOSWKTWriter_create_r")
        GEOSWKTWriter_setTrim_r(handle, writer, 1)
        GEOSWKTWriter_setOutputDimension_r(handle, writer, 2)
        wktWriterHandle = writer
        return writer
    }

    /// The context's WKB reader (`GEOSWKBReader_create_r`), created on first use.
    func wkbReader() throws(GEOSError) -> OpaquePointer {
        if let wkbReaderHandle { return wkbReaderHandle }
        let reader = try check(GEOSWKBReader_create_r(handle), "GEOSWKBReader_create_r")
        wkbReaderHandle = reader
        return reader
    }

    /// The context's WKB writer (`GEOSWKBWriter_create_r`): 2D, little-endian (NDR), created on
    /// first use, so that output bytes do not depend on the machine.
    func wkbWriter() throws(GEOSError) -> OpaquePointer {
        if let wkbWriterHandle { return wkbWriterHandle }
        let writer = try check(GEOSWKBWriter_create_r(handle), "GEOSWKBWriter_create_r")
        GEOSWKBWriter_setOutputDimension_r(handle, writer, 2)
        GEOSWKBWriter_setByteOrder_r(handle, writer, Int32(GEOS_WKB_NDR.rawValue))
        wkbWriterHandle = writer
        return writer
    }
}

extension GEOSContext {
    /// For C calls that report failure only through the error handler (e.g. `GEOSSTRtree_query_r`
    /// returns `void`): runs `body` and throws if GEOS reported an error meanwhile.
    func reportingErrors<T>(_ call: StaticString, _ body: () -> T) throws(GEOSError) -> T {
        messages.lastError = nil
        let result = body()
        if messages.lastError != nil { throw libraryError(call) }
        return result
    }
}
