import CPROJ

/// The batch path: whole arrays in one `proj_trans_generic` call, in place.
///
/// A point PROJ cannot transform does not fail the batch: PROJ writes HUGE_VAL (infinity) into
/// it and carries on; we turn that point's x and y into NaN and return its index, so the caller
/// can report it and keep the others.
extension Transformer {
    /// Transforms the points (x[i], y[i]) in place, all in one `proj_trans_generic` call.
    ///
    /// - Returns: the indices, ascending, of the points that could not be transformed; their x
    ///   and y are now NaN. Empty when every point succeeded.
    @discardableResult
    public func transform(x: inout [Double], y: inout [Double], direction: TransformDirection = .forward) -> [Int] {
        precondition(x.count == y.count, "x has \(x.count) values but y has \(y.count)")
        return x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in transform(x: xs, y: ys, direction: direction) }
        }
    }

    /// Transforms the points (x[i], y[i]) of two equally long buffers in place; see
    /// `transform(x:y:direction:)`.
    @discardableResult
    public func transform(
        x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>,
        direction: TransformDirection = .forward
    ) -> [Int] {
        precondition(x.count == y.count, "x has \(x.count) values but y has \(y.count)")
        guard let xs = x.baseAddress, let ys = y.baseAddress, x.count > 0 else { return [] }
        transformStrided(x: xs, y: ys, stride: 1, count: x.count, direction: direction)
        return Self.replaceFailuresWithNaN(x: xs, y: ys, stride: 1, count: x.count)
    }

    /// Transforms interleaved points [x0, y0, x1, y1, …] in place (stride 16 bytes), in one
    /// `proj_trans_generic` call.
    ///
    /// - Returns: the point indices (not array offsets), ascending, that could not be
    ///   transformed; both of their values are now NaN.
    @discardableResult
    public func transform(interleaved xy: inout [Double], direction: TransformDirection = .forward) -> [Int] {
        xy.withUnsafeMutableBufferPointer { transform(interleaved: $0, direction: direction) }
    }

    /// Transforms interleaved points [x0, y0, x1, y1, …] in place; see
    /// `transform(interleaved:direction:)`.
    @discardableResult
    public func transform(interleaved xy: UnsafeMutableBufferPointer<Double>, direction: TransformDirection = .forward) -> [Int] {
        precondition(xy.count.isMultiple(of: 2), "interleaved coordinates need an even count, got \(xy.count)")
        guard let base = xy.baseAddress, xy.count > 0 else { return [] }
        let count = xy.count / 2
        transformStrided(x: base, y: base + 1, stride: 2, count: count, direction: direction)
        return Self.replaceFailuresWithNaN(x: base, y: base + 1, stride: 2, count: count)
    }

    /// The one `proj_trans_generic` call behind every batch method. `stride` is in Doubles.
    /// (No z or t: PROJ then takes z = 0 and t = HUGE_VAL, which is right for 2-D data.)
    private func transformStrided(
        x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, stride: Int, count: Int,
        direction: TransformDirection
    ) {
        let byteStride = stride * MemoryLayout<Double>.stride
        _ = proj_errno_reset(handle)
        // Returns the number of points processed; failures show up as HUGE_VAL per point.
        _ = proj_trans_generic(
            handle, direction.pj,
            x, byteStride, count,
            y, byteStride, count,
            nil, 0, 0,
            nil, 0, 0)
        // A failed point leaves its errno on the PJ; clear it so the next call starts clean.
        _ = proj_errno_reset(handle)
    }

    /// Finds the points PROJ marked as failed (non-finite x or y), sets both to NaN and returns
    /// their indices.
    private static func replaceFailuresWithNaN(
        x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, stride: Int, count: Int
    ) -> [Int] {
        var failed: [Int] = []
        for index in 0..<count {
            let offset = index * stride
            if !(x[offset].isFinite && y[offset].isFinite) {
                x[offset] = .nan
                y[offset] = .nan
                failed.append(index)
            }
        }
        return failed
    }
}
