import Testing
import Protocol

@Suite struct FramePayloadTests {
    @Test func roundTripsRandomPixelsAtOddSizes() throws {
        var rng = SplitMix64(seed: 21)
        for (width, height) in [(1, 1), (7, 5), (33, 17), (3, 101), (640, 1)] {
            let pixels = rng.bytes(width * height * 3)
            let bytes = FramePayload.encode(width: width, height: height, pixels: pixels)
            let size = try FramePayload.size(of: bytes)
            #expect(size.width == width && size.height == height)
            let frame = try FramePayload.decode(bytes)
            #expect(frame.width == width && frame.height == height && frame.pixels == pixels)
        }
    }

    @Test func prefixIsLittleEndian() {
        let bytes = FramePayload.encode(width: 258, height: 3, pixels: [UInt8](repeating: 9, count: 258 * 3 * 3))
        #expect(Array(bytes[0..<12]) == [2, 1, 0, 0, 3, 0, 0, 0, 0x12, 0x09, 0, 0])
    }

    @Test func rejectsEmptyOverflowingAndOversizedFrames() {
        func prefix(_ w: UInt32, _ h: UInt32, _ n: UInt32) -> [UInt8] {
            [w, h, n].flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } } + [0, 0, 0, 0]
        }
        #expect(throws: DecodeError.badFrameSize(width: 0, height: 5)) { try FramePayload.decode(prefix(0, 5, 0)) }
        #expect(throws: DecodeError.badFrameSize(width: 8193, height: 2)) { try FramePayload.decode(prefix(8193, 2, 49158)) }
        #expect(throws: DecodeError.badFrameSize(width: UInt32.max, height: UInt32.max)) {
            try FramePayload.decode(prefix(.max, .max, .max))
        }
        #expect(throws: DecodeError.badPayload("frame 2x2 states 13 raw bytes, expected 12")) { try FramePayload.decode(prefix(2, 2, 13)) }
        #expect(throws: DecodeError.self) { try FramePayload.decode([1, 0, 0, 0, 1, 0]) }
    }

    @Test func rejectsCorruptAndMismatchedBlocks() {
        var rng = SplitMix64(seed: 22)
        let bytes = FramePayload.encode(width: 9, height: 4, pixels: rng.bytes(9 * 4 * 3))
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 108)) { try FramePayload.decode(Array(bytes.dropLast(3))) }
        // Claim a smaller frame whose stated byte count is consistent but whose block is larger.
        var lying = bytes
        lying[0] = 3; lying[8] = 36
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 36)) { try FramePayload.decode(lying) }
        // Header only: no block at all.
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 108)) { try FramePayload.decode(Array(bytes.prefix(12))) }
    }
}
