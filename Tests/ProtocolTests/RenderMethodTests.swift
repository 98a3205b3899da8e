import Testing
import Protocol

@Suite struct RenderMethodTests {
    @Test func namesRoundTripAndTravelAsText() throws {
        for method in [RenderMethod.gatys, .reconet, .copy, .sleep(milliseconds: 0), .sleep(milliseconds: 600_000)] {
            #expect(try RenderMethod(name: method.description) == method)
            let json = JSONPayload.encode([method])
            #expect(String(decoding: json, as: UTF8.self) == "[\"\(method)\"]")
            #expect(try JSONPayload.decode([RenderMethod].self, from: json) == [method])
        }
    }

    @Test func unknownNamesAndWaitsOutOfRangeAreRefusedInOneLine() {
        for name in ["paint", "Gatys", "sleep:", "sleep:x", "sleep:-1", "sleep:600001", ""] {
            #expect(throws: ParameterError("method \(name) is not one of gatys, reconet, copy or sleep:MS (MS in 0...600000)")) {
                try RenderMethod(name: name)
            }
        }
        #expect(throws: DecodeError.badPayload("RenderMethod: method paint is not one of gatys, reconet, copy or sleep:MS (MS in 0...600000)")) {
            try JSONPayload.decode(RenderMethod.self, from: Array("\"paint\"".utf8))
        }
    }
}
