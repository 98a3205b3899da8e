import Testing
import Protocol

@Suite struct CompressionTests {
    @Test func roundTripsRandomAndRepetitiveBytes() throws {
        var rng = SplitMix64(seed: 11)
        for count in [1, 2, 17, 1000, 65_537] {
            let random = rng.bytes(count)
            #expect(try Compression.decompress(Compression.compress(random), expectedSize: count) == random)
            let repetitive = (0..<count).map { UInt8(truncatingIfNeeded: $0 / 64) }
            let block = Compression.compress(repetitive)
            #expect(try Compression.decompress(block, expectedSize: count) == repetitive)
            if count >= 1000 { #expect(block.count < count / 4) }
        }
    }

    @Test func emptyInputIsAnEmptyBlock() throws {
        #expect(Compression.compress([]).isEmpty)
        #expect(try Compression.decompress([], expectedSize: 0) == [])
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 5)) { try Compression.decompress([], expectedSize: 5) }
    }

    @Test func rejectsWrongExpectedSize() {
        let data = (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let block = Compression.compress(data)
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 499)) { try Compression.decompress(block, expectedSize: 499) }
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 501)) { try Compression.decompress(block, expectedSize: 501) }
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: -1)) { try Compression.decompress(block, expectedSize: -1) }
    }

    @Test func rejectsTruncatedBlock() {
        var rng = SplitMix64(seed: 12)
        let data = rng.bytes(300)
        let block = Compression.compress(data)
        #expect(throws: DecodeError.corruptCompressedData(expectedSize: 300)) {
            try Compression.decompress(Array(block.dropLast(5)), expectedSize: 300)
        }
    }

    /// Random and bit-flipped blocks must either decode to the promised size or throw; never trap.
    @Test func corruptBlocksNeverTrap() {
        var rng = SplitMix64(seed: 13)
        let data = (0..<2000).map { UInt8(truncatingIfNeeded: $0 / 9) }
        let block = Compression.compress(data)
        for _ in 0..<500 {
            var corrupt = block
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                corrupt[Int.random(in: 0..<corrupt.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if let out = try? Compression.decompress(corrupt, expectedSize: data.count) { #expect(out.count == data.count) }
            let random = rng.bytes(Int.random(in: 1...64, using: &rng))
            if let out = try? Compression.decompress(random, expectedSize: 100) { #expect(out.count == 100) }
        }
    }
}
