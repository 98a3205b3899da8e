import Testing
import Protocol

/// A `reconet` TASK: the model's bytes travel after the styles when attached, and only its
/// reference otherwise; sizes and hashes that disagree with the spec are refused.
@Suite struct TaskModelTests {
    static let hash = String(repeating: "0123456789abcdef", count: 4)

    static func task(attached: Bool, warm: Bool = false, modelBytes: Int = 40) -> TaskPayload {
        var rng = SplitMix64(seed: 5)
        let image = { (w: Int, h: Int) in FramePayload.encode(width: w, height: h, pixels: rng.bytes(w * h * 3)) }
        let model = rng.bytes(modelBytes)
        let spec = TaskSpec(job: 8, chunk: 1, renderStart: 10, ownStart: 10, end: 14, width: 4, height: 3, method: .reconet,
                            styleCount: 1, styleWeights: [1], frameCount: warm ? 3 : 4, warmStartFrame: warm ? 11 : nil,
                            model: ModelReference(sha256: hash, byteCount: modelBytes, attached: attached))
        return TaskPayload(spec: spec, styles: [image(2, 2)], frames: (0..<spec.frameCount).map { _ in image(4, 3) },
                           warmStart: warm ? image(4, 3) : nil, model: attached ? model : nil)
    }

    @Test func roundTripsWithAndWithoutTheModel() throws {
        for (attached, warm) in [(true, false), (true, true), (false, false), (false, true)] {
            let payload = Self.task(attached: attached, warm: warm)
            let message = try Message.decode(Message.task(payload).frames())
            #expect(try message.decodeTask() == payload)
            #expect(message.payload.count == 1 + 1 + (attached ? 1 : 0) + payload.spec.frameCount + (warm ? 1 : 0))
        }
    }

    @Test func refusesAModelOfAnotherSizeOrABadReference() throws {
        var message = Message.task(Self.task(attached: true))
        message.payload[2].removeLast()
        #expect(throws: DecodeError.badPayload("task model is 39 bytes, its spec says 40")) { try message.decodeTask() }

        for (hash, size) in [("ABC", 40), (String(repeating: "A", count: 64), 40), (Self.hash, 0),
                             (Self.hash, ModelReference.maxByteCount + 1)] {
            var payload = Self.task(attached: false)
            payload.spec.model = ModelReference(sha256: hash, byteCount: size, attached: false)
            #expect(throws: DecodeError.self) { try Message.decode(Message.task(payload).frames()).decodeTask() }
        }
    }

    @Test func aSpecWithoutAModelDecodesAsBefore() throws {
        // Older coordinators send no "model" key at all: the field is optional in the JSON.
        var payload = Self.task(attached: false)
        payload.spec.model = nil
        let json = String(decoding: JSONPayload.encode(payload.spec), as: UTF8.self)
        #expect(!json.contains("\"model\""))
        #expect(try Message.decode(Message.task(payload).frames()).decodeTask() == payload)
    }
}
