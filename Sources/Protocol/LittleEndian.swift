/// Little-endian integer reading and writing on byte arrays, without unsafe pointers, for the
/// fixed-layout parts of the wire format. Callers check bounds before reading.
extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var v = value  // shifting the value, not its memory, is independent of the host's byte order
        for _ in 0..<MemoryLayout<T>.size {
            append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    func littleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16 | UInt32(self[offset + 3]) << 24
    }
}
