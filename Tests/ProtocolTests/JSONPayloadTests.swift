import Testing
import Protocol

@Suite struct JSONPayloadTests {
    @Test func structsRoundTrip() throws {
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: 0, ownStart: 0, end: 8, width: 64, height: 36, method: .sleep(milliseconds: 5),
                            styleCount: 1, styleWeights: [1], frameCount: 8)
        #expect(try JSONPayload.decode(TaskSpec.self, from: JSONPayload.encode(spec)) == spec)
        let request = JobRequest(input: "a.mkv", output: "b.mkv", styles: ["s.png"], method: .copy, chunk: 24, overlap: 4,
                                 crf: 18, preset: "medium")
        #expect(try JSONPayload.decode(JobRequest.self, from: JSONPayload.encode(request)) == request)
        for state in JobStatus.State.allCases {
            let status = JobStatus(job: 2, state: state)
            #expect(try JSONPayload.decode(JobStatus.self, from: JSONPayload.encode(status)) == status)
        }
    }

    @Test func nonFiniteNumbersTravelAsStrings() throws {
        let status = JobStatus(job: 1, state: .running, fps: .nan, etaSeconds: .infinity)
        let bytes = JSONPayload.encode(status)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""etaSeconds":"inf""#))
        let back = try JSONPayload.decode(JobStatus.self, from: bytes)
        #expect(back.fps.isNaN && back.etaSeconds == .infinity)
    }

    @Test func encodingIsStableAndReadable() {
        #expect(String(decoding: JSONPayload.encode(ControlRequest(action: .retry)), as: UTF8.self) == #"{"action":"retry"}"#)
        #expect(JSONPayload.encode(WorkerHello(name: "w", threads: 2)) == JSONPayload.encode(WorkerHello(name: "w", threads: 2)))
    }

    @Test func badJSONBecomesOneLineBadPayload() {
        #expect(throws: DecodeError.badPayload(#"ControlRequest: missing key "action""#)) {
            try JSONPayload.decode(ControlRequest.self, from: Array("{}".utf8))
        }
        #expect(throws: DecodeError.badPayload("ControlRequest: not valid JSON at action")) {
            try JSONPayload.decode(ControlRequest.self, from: Array(#"{"action":"explode"}"#.utf8))
        }
        #expect(throws: DecodeError.badPayload("WorkerHello: not valid JSON")) {
            try JSONPayload.decode(WorkerHello.self, from: [0xFF, 0x00])
        }
    }

    @Test func taskSpecValidation() {
        func spec(render: Int = 10, own: Int = 12, end: Int = 20, count: Int = 10, warm: Int? = nil, weights: [Double] = [1]) -> TaskSpec {
            TaskSpec(job: 1, chunk: 1, renderStart: render, ownStart: own, end: end, width: 8, height: 8, method: .copy,
                     styleCount: 1, styleWeights: weights, frameCount: count, warmStartFrame: warm)
        }
        #expect(throws: Never.self) { try spec().validate() }
        #expect(throws: Never.self) { try spec(count: 5, warm: 15).validate() }
        #expect(spec(count: 5, warm: 15).firstInputFrame == 15)
        #expect(throws: DecodeError.self) { try spec(count: 9).validate() }
        #expect(throws: DecodeError.self) { try spec(own: 9).validate() }
        #expect(throws: DecodeError.self) { try spec(own: 20).validate() }
        #expect(throws: DecodeError.self) { try spec(count: 1, warm: 19).validate() }
        #expect(throws: DecodeError.self) { try spec(weights: []).validate() }
    }
}
