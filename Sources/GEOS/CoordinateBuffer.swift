import CGEOS

/// Moves coordinate arrays into and out of GEOS coordinate sequences in one call each, relying on
/// ``Coordinate`` being laid out as two contiguous `Double`s (checked below).
enum CoordinateBuffer {
    /// `Coordinate` must look like `double[2]` for the buffer calls to be valid.
    static let layoutIsInterleavedXY: Bool =
        MemoryLayout<Coordinate>.size == 2 * MemoryLayout<Double>.size
        && MemoryLayout<Coordinate>.stride == 2 * MemoryLayout<Double>.stride
        && MemoryLayout<Coordinate>.offset(of: \Coordinate.y) == MemoryLayout<Double>.stride

    /// A new owned 2D sequence holding `coordinates` (`GEOSCoordSeq_copyFromBuffer_r`, GEOS ≥ 3.10).
    /// The caller owns the result until a geometry constructor adopts it.
    static func sequence(_ coordinates: [Coordinate], context: GEOSContext) throws(GEOSError) -> OpaquePointer {
        precondition(layoutIsInterleavedXY, "Coordinate is not laid out as two Doubles")
        let result: OpaquePointer? = coordinates.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyFromBuffer_r(context.handle, doubles.baseAddress, UInt32(coordinates.count), 0, 0)
            }
        }
        return try context.check(result, "GEOSCoordSeq_copyFromBuffer_r")
    }

    /// The x/y of every point of a borrowed sequence (`GEOSCoordSeq_getSize_r`,
    /// `GEOSCoordSeq_copyToBuffer_r`, GEOS ≥ 3.10), Z and M dropped.
    static func copy(_ sequence: OpaquePointer, context: GEOSContext) throws(GEOSError) -> [Coordinate] {
        precondition(layoutIsInterleavedXY, "Coordinate is not laid out as two Doubles")
        var size: UInt32 = 0
        try context.checkStatus(GEOSCoordSeq_getSize_r(context.handle, sequence, &size), "GEOSCoordSeq_getSize_r")
        var status: Int32 = 1
        let coordinates = [Coordinate](unsafeUninitializedCapacity: Int(size)) { buffer, initialized in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                status = GEOSCoordSeq_copyToBuffer_r(context.handle, sequence, doubles.baseAddress, 0, 0)
                if status == 0 { doubles.initialize(repeating: 0) }
            }
            initialized = Int(size)
        }
        try context.checkStatus(status, "GEOSCoordSeq_copyToBuffer_r")
        return coordinates
    }
}
