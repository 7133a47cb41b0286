import CGEOS

/// Reading and writing WKT, WKB and hex WKB through the readers and writers cached on the
/// context (created once per context, not per call).
extension GEOSGeometry {
    /// Parses Well-Known Text (`GEOSWKTReader_read_r`). A malformed text throws
    /// ``GEOSError/library(message:)`` with GEOS's parse message.
    public convenience init(wkt: String, context: GEOSContext) throws(GEOSError) {
        let reader = try context.wktReader()
        let result = GEOSWKTReader_read_r(context.handle, reader, wkt)
        try self.init(result: result, context: context, "GEOSWKTReader_read_r")
    }

    /// Parses Well-Known Binary (`GEOSWKBReader_read_r`).
    public convenience init(wkb: [UInt8], context: GEOSContext) throws(GEOSError) {
        guard !wkb.isEmpty else { throw .invalidInput("WKB is empty") }
        let reader = try context.wkbReader()
        let result = wkb.withUnsafeBufferPointer { bytes in
            GEOSWKBReader_read_r(context.handle, reader, bytes.baseAddress, bytes.count)
        }
        try self.init(result: result, context: context, "GEOSWKBReader_read_r")
    }

    /// Parses hexadecimal WKB as PostGIS prints it (`GEOSWKBReader_readHEX_r`). Characters other
    /// than hex digits, or an odd length, are rejected in Swift with their position.
    public convenience init(hexWKB: String, context: GEOSContext) throws(GEOSError) {
        let bytes = Array(hexWKB.utf8)
        guard !bytes.isEmpty else { throw .invalidInput("hex WKB is empty") }
        guard bytes.count % 2 == 0 else {
            throw .invalidInput("hex WKB has an odd number of characters (\(bytes.count))")
        }
        if let bad = bytes.firstIndex(where: { !Self.isHexDigit($0) }) {
            throw .invalidInput("hex WKB has a non-hex character at offset \(bad)")
        }
        let reader = try context.wkbReader()
        let result = bytes.withUnsafeBufferPointer { buffer in
            GEOSWKBReader_readHEX_r(context.handle, reader, buffer.baseAddress, buffer.count)
        }
        try self.init(result: result, context: context, "GEOSWKBReader_readHEX_r")
    }

    /// Well-Known Text (`GEOSWKTWriter_write_r`), trimmed, 2D. `precision` is the number of
    /// decimals (`GEOSWKTWriter_setRoundingPrecision_r`); nil writes full precision.
    public func wkt(precision: Int? = nil) throws(GEOSError) -> String {
        let writer = try context.wktWriter()
        GEOSWKTWriter_setRoundingPrecision_r(context.handle, writer, Int32(clamping: precision ?? -1))
        let text = try context.check(GEOSWKTWriter_write_r(context.handle, writer, handle), "GEOSWKTWriter_write_r")
        defer { GEOSFree_r(context.handle, text) }
        return String(cString: text)
    }

    /// Little-endian 2D Well-Known Binary (`GEOSWKBWriter_write_r`).
    public func wkb() throws(GEOSError) -> [UInt8] {
        let writer = try context.wkbWriter()
        var size = 0
        let bytes = try context.check(GEOSWKBWriter_write_r(context.handle, writer, handle, &size), "GEOSWKBWriter_write_r")
        defer { GEOSFree_r(context.handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// Little-endian 2D WKB as upper-case hex (`GEOSWKBWriter_writeHEX_r`).
    public func hexWKB() throws(GEOSError) -> String {
        let writer = try context.wkbWriter()
        var size = 0
        let bytes = try context.check(GEOSWKBWriter_writeHEX_r(context.handle, writer, handle, &size), "GEOSWKBWriter_writeHEX_r")
        defer { GEOSFree_r(context.handle, bytes) }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: size), as: UTF8.self)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }
}
