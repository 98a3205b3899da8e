import Testing
import Protocol

@Suite struct Z85Tests {
    /// The test vector of ZeroMQ RFC 32.
    @Test func matchesTheSpecificationVector() {
        let bytes: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        #expect(Z85.encode(bytes) == "HelloWorld")
        #expect(Z85.decode("HelloWorld") == bytes)
    }

    @Test func roundTripsRandomKeys() {
        var rng = SplitMix64(seed: 85)
        for count in [0, 4, 32, 64] {
            let bytes = rng.bytes(count)
            let text = Z85.encode(bytes)
            #expect(text?.count == count / 4 * 5)
            #expect(text.flatMap(Z85.decode) == bytes)
        }
        #expect(Z85.encode([UInt8](repeating: 0xFF, count: 4)) == "%nSc0")
    }

    @Test func rejectsBadInput() {
        #expect(Z85.encode([1, 2, 3]) == nil)
        #expect(Z85.decode("Hello") != nil)
        #expect(Z85.decode("Hell") == nil)
        #expect(Z85.decode("Hell~") == nil)
        #expect(Z85.decode("%nSc1") == nil)  // 2^32: one past the largest group
    }
}
