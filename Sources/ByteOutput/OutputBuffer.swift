#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer that writers format into, so that output costs one pointer store per
/// byte and one checked sink write per batch (a block of CSV rows, ~64 KiB of GeoJSON) instead of
/// a call per token. The one output buffer of GridMap: the GeoJSON writer and the CSV streams
/// both append here and hand ``bytes`` to a ``ByteSink``.
///
/// The hot appends are inlinable so that callers in other modules copy bytes without a call per
/// row; the storage is exclusivity-unchecked because a buffer has one owner that appends from one
/// thread (a dynamic exclusivity check per append was measurable on a million rows).
public final class OutputBuffer {
    @usableFromInline @exclusivity(unchecked) var base: UnsafeMutablePointer<UInt8>
    @usableFromInline @exclusivity(unchecked) var capacity: Int
    /// Bytes appended so far. Setting it lower drops what came after (a writer taking back a
    /// half-written item); it never grows the buffer.
    public var count: Int {
        get { storedCount }
        set {
            precondition(newValue >= 0 && newValue <= storedCount, "OutputBuffer.count can only shrink")
            storedCount = newValue
        }
    }
    @usableFromInline @exclusivity(unchecked) var storedCount = 0
    /// Room for any Double in "%.17f" (at most 309 integer digits, sign, point, 17 decimals).
    private var scratch = [CChar](repeating: 0, count: 400)

    public init(capacity: Int = 1 << 17) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inlinable @inline(__always)
    public func reserve(_ extra: Int) {
        if storedCount + extra > capacity { grow(to: storedCount + extra) }
    }

    @usableFromInline
    func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: storedCount)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        base[storedCount] = byte
        storedCount += 1
    }

    /// Appends ASCII text known at compile time (punctuation, member names).
    @inlinable @inline(__always)
    public func append(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        reserve(length)
        (base + storedCount).update(from: literal.utf8Start, count: length)
        storedCount += length
    }

    @inlinable
    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + storedCount).update(from: source, count: bytes.count)
        storedCount += bytes.count
    }

    @inlinable
    public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends `text` as UTF-8, as it is (no escaping of any kind).
    public func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends text that needs no JSON escaping (number lexemes).
    public func appendUnescaped(_ text: String) { append(utf8: text) }

    /// Appends a signed integer in decimal.
    @inlinable @inline(__always)
    public func append(integer value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            append(digitsOf: value.magnitude)
        } else {
            append(digitsOf: UInt64(value))
        }
    }

    /// Appends an unsigned integer in decimal, digits written right to left in place.
    @inlinable @inline(__always)
    public func append(digitsOf value: UInt64) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        append(digitsOf: value, width: digits)
    }

    /// Appends `value` as exactly `width` digits, left-padded with zeros.
    @inlinable @inline(__always)
    public func append(digitsOf value: UInt64, width: Int) {
        reserve(width)
        var remaining = value
        var position = storedCount + width - 1
        while position >= storedCount {
            base[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            position -= 1
        }
        storedCount += width
    }

    /// Appends `value` with `precision` decimals as C's `%.*f` formats it (correctly rounded,
    /// "-0.00" kept as C writes it): the CSV commands' fixed-decimal columns.
    public func append(fixed value: Double, precision: Int32) {
        let written = scratch.withUnsafeMutableBufferPointer { buffer in
            withVaList([precision, value]) { vsnprintf(buffer.baseAddress, buffer.count, "%.*f", $0) }
        }
        let length = min(Int(written), scratch.count - 1)
        scratch.withUnsafeBufferPointer { buffer in
            UnsafeRawBufferPointer(buffer).withMemoryRebound(to: UInt8.self) {
                append(UnsafeBufferPointer(rebasing: $0[0..<length]))
            }
        }
    }

    /// The buffered bytes, for the sink; `removeAll()` afterwards.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: storedCount) }

    /// Empties the buffer, keeping its memory.
    public func removeAll() { storedCount = 0 }

    /// Writes the buffered bytes to `sink` and empties the buffer (also when the write fails:
    /// the bytes are then lost to the sink's error, which the caller reports).
    public func flush(to sink: any ByteSink) throws(OutputError) {
        defer { storedCount = 0 }
        guard storedCount > 0 else { return }
        try sink.write(bytes)
    }
}
