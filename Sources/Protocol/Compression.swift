import CLZ4

/// LZ4 block compression for frame payloads. LZ4 is chosen for speed: a 1080p RGB frame takes
/// about 3-30 ms to compress and 0.5-5 ms to decompress (Coordinator's `ProtocolBench`, on a loaded 2-vCPU
/// machine), far below the time a worker spends styling it. An (upscaled) film frame shrinks to
/// ~71%, a styled frame not at all, so the gain is on the coordinator's outgoing TASKs. This is
/// the only file that imports CLZ4.
public enum Compression {
    /// The largest input LZ4 accepts (LZ4_MAX_INPUT_SIZE, a macro Swift cannot import).
    public static let maxInputSize = 0x7E00_0000

    /// Compresses `bytes` into one LZ4 block. The block does not record its decompressed size;
    /// callers keep it beside the block (`FramePayload` does). `bytes.count` must not exceed
    /// `maxInputSize`; encode paths only pass frames already bounded by `FramePayload.maxSide`.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        precondition(bytes.count <= maxInputSize, "LZ4 input of \(bytes.count) bytes exceeds \(maxInputSize)")
        if bytes.isEmpty { return [] }
        let bound = Int(LZ4_compressBound(Int32(bytes.count)))
        return [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
            let written = bytes.withUnsafeBytes { source in
                LZ4_compress_default(source.baseAddress!.assumingMemoryBound(to: CChar.self),
                                     UnsafeMutableRawPointer(out.baseAddress!).assumingMemoryBound(to: CChar.self),
                                     Int32(source.count), Int32(bound))
            }
            // With a destination of compressBound bytes LZ4 cannot fail; 0 would mean a broken library.
            precondition(written > 0, "LZ4_compress_default failed with a bound-sized buffer")
            initialized = Int(written)
        }
    }

    /// Decompresses one LZ4 block that must expand to exactly `expectedSize` bytes. Corrupt or
    /// truncated input, or a block of another size, throws; LZ4_decompress_safe never reads or
    /// writes out of bounds.
    public static func decompress(_ block: [UInt8], expectedSize: Int) throws(DecodeError) -> [UInt8] {
        // withUnsafeBytes only rethrows untyped errors; Result carries the typed one out.
        try block.withUnsafeBytes { bytes in
            Result { () throws(DecodeError) in try decompress(bytes, expectedSize: expectedSize) }
        }.get()
    }

    /// As `decompress(_:expectedSize:)`, reading the block in place (a slice of a larger frame).
    public static func decompress(_ block: UnsafeRawBufferPointer, expectedSize: Int) throws(DecodeError) -> [UInt8] {
        guard expectedSize >= 0, expectedSize <= maxInputSize, block.count <= maxInputSize else {
            throw .corruptCompressedData(expectedSize: expectedSize)
        }
        if expectedSize == 0 {
            guard block.isEmpty else { throw .corruptCompressedData(expectedSize: expectedSize) }
            return []
        }
        guard let source = block.baseAddress, !block.isEmpty else { throw .corruptCompressedData(expectedSize: expectedSize) }
        // A block that would expand past the buffer makes LZ4_decompress_safe fail; one that
        // expands to less returns the smaller count. Both are rejected below.
        var read: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, initialized in
            read = LZ4_decompress_safe(source.assumingMemoryBound(to: CChar.self),
                                       UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                       Int32(block.count), Int32(expectedSize))
            // Only a full decode initialises every byte; otherwise hand back an empty array.
            initialized = read == Int32(expectedSize) ? expectedSize : 0
        }
        guard read == Int32(expectedSize) else { throw .corruptCompressedData(expectedSize: expectedSize) }
        return out
    }
}
