import Testing
import Protocol

@Suite struct CurveKeyTests {
    @Test func generatedPairsDeriveTheirPublicKey() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.z85.count == 40 && pair.secretKey.z85.count == 40)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(try CurveKeyPair.generate() != pair)
        #expect(try CurveKey(z85: pair.publicKey.z85) == pair.publicKey)
    }

    /// The key pair of ZeroMQ's curve test suite (tests/testutil_security.cpp).
    @Test func derivesTheKnownPublicKey() throws {
        let secret = try CurveKey(z85: "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")
        #expect(try CurveKeyPair(secretKey: secret).publicKey.z85 == "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID")
    }

    @Test func rejectsMalformedKeys() {
        #expect(throws: CurveKeyError.malformedKey("short")) { try CurveKey(z85: "short") }
        #expect(throws: CurveKeyError.self) { try CurveKey(z85: String(repeating: "~", count: 40)) }
        #expect(throws: CurveKeyError.malformedKey("31 bytes")) { try CurveKey(bytes: [UInt8](repeating: 0, count: 31)) }
    }
}
