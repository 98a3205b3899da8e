/// One 8-bit RGB frame on the wire: a 12-byte little-endian prefix, then one LZ4 block of the
/// packed pixels (row-major, R G B per pixel, no row padding).
///
/// | offset | size | field     | meaning                                  |
/// | ------ | ---- | --------- | ---------------------------------------- |
/// | 0      | 4    | width     | pixels, 1...`maxSide`                    |
/// | 4      | 4    | height    | pixels, 1...`maxSide`                    |
/// | 8      | 4    | byteCount | raw size, always width * height * 3      |
/// | 12     | ...  | block     | `Compression.compress` of the pixels     |
///
/// Used for input frames and style images (C->W in TASK), styled frames (W->C in RESULT) and the
/// warm-start frame. The raw size is stated twice (dimensions and byteCount) so that a receiver
/// can reject a lying peer before it allocates anything.
public enum FramePayload {
    /// Largest width or height accepted; bounds what one message can make a receiver allocate.
    public static let maxSide: UInt32 = 8192
    public static let prefixByteCount = 12

    /// Encodes a frame. `pixels.count` must be `width * height * 3` and both sides must be in
    /// 1...`maxSide`; these are the caller's invariants, not network input, so they trap.
    public static func encode(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        precondition((1...Int(maxSide)).contains(width) && (1...Int(maxSide)).contains(height),
                     "frame size \(width)x\(height) outside 1...\(maxSide)")
        precondition(pixels.count == width * height * 3, "\(pixels.count) bytes for a \(width)x\(height) RGB frame")
        var bytes: [UInt8] = []
        let block = Compression.compress(pixels)
        bytes.reserveCapacity(prefixByteCount + block.count)
        bytes.appendLittleEndian(UInt32(width))
        bytes.appendLittleEndian(UInt32(height))
        bytes.appendLittleEndian(UInt32(pixels.count))
        bytes.append(contentsOf: block)
        return bytes
    }

    /// Reads the dimensions only, without decompressing: enough to validate a task cheaply.
    public static func size(of bytes: [UInt8]) throws(DecodeError) -> (width: Int, height: Int) {
        guard bytes.count >= prefixByteCount else {
            throw .badPayload("frame payload of \(bytes.count) bytes is shorter than its \(prefixByteCount)-byte prefix")
        }
        let width = bytes.littleEndianUInt32(at: 0), height = bytes.littleEndianUInt32(at: 4)
        guard (1...maxSide).contains(width), (1...maxSide).contains(height) else {
            throw .badFrameSize(width: width, height: height)
        }
        return (Int(width), Int(height))
    }

    /// Decodes a frame, checking the dimensions against `maxSide`, the stated byte count against
    /// them, and the block against the stated byte count.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> (width: Int, height: Int, pixels: [UInt8]) {
        let (width, height) = try size(of: bytes)
        // Both sides are at most 8192, so the product cannot overflow Int; keep the check honest anyway.
        let (area, overflow) = width.multipliedReportingOverflow(by: height * 3)
        guard !overflow else { throw .badFrameSize(width: UInt32(width), height: UInt32(height)) }
        let stated = Int(bytes.littleEndianUInt32(at: 8))
        guard stated == area else {
            throw .badPayload("frame \(width)x\(height) states \(stated) raw bytes, expected \(area)")
        }
        // Decompress the block in place rather than copying it out of the frame first.
        let pixels = try bytes.withUnsafeBytes { all in
            Result { () throws(DecodeError) in
                try Compression.decompress(UnsafeRawBufferPointer(rebasing: all[prefixByteCount...]), expectedSize: area)
            }
        }.get()
        return (width, height, pixels)
    }
}
