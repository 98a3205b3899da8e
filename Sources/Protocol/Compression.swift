import CLZ4

/// LZ4 block compression for frame payloads. LZ4 is chosen for speed: a 1080p RGB frame
/// compresses in a few milliseconds, far below the time a worker spends styling it, while video
/// frames still shrink noticeably on a LAN. This is the only file that imports CLZ4.
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
        var out = [UInt8](repeating: 0, count: bound)
        let written = bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                src.withMemoryRebound(to: CChar.self) { s in
                    dst.withMemoryRebound(to: CChar.self) { d in
                        LZ4_compress_default(s.baseAddress, d.baseAddress, Int32(s.count), Int32(d.count))
                    }
                }
            }
        }
        // With a destination of compressBound bytes LZ4 cannot fail; 0 would mean a broken library.
        precondition(written > 0, "LZ4_compress_default failed with a bound-sized buffer")
        out.removeLast(bound - Int(written))
        return out
    }

    /// Decompresses one LZ4 block that must expand to exactly `expectedSize` bytes. Corrupt or
    /// truncated input, or a block of another size, throws; LZ4_decompress_safe never reads or
    /// writes out of bounds.
    public static func decompress(_ block: [UInt8], expectedSize: Int) throws(DecodeError) -> [UInt8] {
        guard expectedSize >= 0, expectedSize <= maxInputSize, block.count <= maxInputSize else {
            throw .corruptCompressedData(expectedSize: expectedSize)
        }
        if expectedSize == 0 {
            guard block.isEmpty else { throw .corruptCompressedData(expectedSize: expectedSize) }
            return []
        }
        guard !block.isEmpty else { throw .corruptCompressedData(expectedSize: expectedSize) }
        // A block that would expand past the buffer makes LZ4_decompress_safe fail; one that
        // expands to less returns the smaller count. Both are rejected below.
        var out = [UInt8](repeating: 0, count: expectedSize)
        let read = block.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                src.withMemoryRebound(to: CChar.self) { s in
                    dst.withMemoryRebound(to: CChar.self) { d in
                        LZ4_decompress_safe(s.baseAddress, d.baseAddress, Int32(s.count), Int32(d.count))
                    }
                }
            }
        }
        guard read == Int32(expectedSize) else { throw .corruptCompressedData(expectedSize: expectedSize) }
        return out
    }
}
