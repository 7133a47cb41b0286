/// A growable byte buffer the writer formats into, so that output costs one pointer store per
/// byte and a sink write per ~64 KiB instead of a call per token.
final class OutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 1 << 17) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends ASCII text known at compile time (punctuation and member names).
    @inline(__always)
    func append(_ literal: StaticString) {
        let length = literal.utf8CodeUnitCount
        reserve(length)
        (base + count).update(from: literal.utf8Start, count: length)
        count += length
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Appends text that needs no JSON escaping (number lexemes).
    func appendUnescaped(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Appends a signed integer in decimal.
    @inline(__always)
    func append(integer value: Int64) {
        if value < 0 {
            append(.minus)
            append(digitsOf: value.magnitude)
        } else {
            append(digitsOf: UInt64(value))
        }
    }

    /// Appends an unsigned integer in decimal, digits written right to left in place.
    @inline(__always)
    func append(digitsOf value: UInt64) {
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        append(digitsOf: value, width: digits)
    }

    /// Appends `value` as exactly `width` digits, left-padded with zeros.
    @inline(__always)
    func append(digitsOf value: UInt64, width: Int) {
        reserve(width)
        var remaining = value
        var position = count + width - 1
        while position >= count {
            base[position] = .zero + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            position -= 1
        }
        count += width
    }

    /// The buffered bytes, for the sink; `removeAll()` afterwards.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func removeAll() { count = 0 }
}
