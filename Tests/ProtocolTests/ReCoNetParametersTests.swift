import Testing
import Protocol

/// The `reconet` settings (`--stabilize`): their range, their JSON, and the wire decoder's check
/// that only a reconet TASK or SUBMIT carries them.
@Suite struct ReCoNetParametersTests {
    @Test func rangeAndSettlingFrames() throws {
        try ReCoNetParameters().validate()
        try ReCoNetParameters(stabilize: ReCoNetParameters.defaultStrength).validate()
        for strength in [0.0, 0.04, 0.96, 1, .nan] {
            #expect(throws: ParameterError("--stabilize-strength \(strength) is outside 0.05...0.95")) {
                try ReCoNetParameters(stabilize: strength).validate()
            }
        }
        // strength^n <= 0.05: 0.6^6 = 0.047, 0.6^5 = 0.078.
        #expect(ReCoNetParameters(stabilize: 0.6).settlingFrames == 6)
        #expect(ReCoNetParameters(stabilize: 0.05).settlingFrames == 1)
        #expect(ReCoNetParameters().settlingFrames == 0)
    }

    @Test func roundTripsThroughJSONAndLeftOutKeysKeepTheirDefaults() throws {
        let all = ReCoNetParameters(stabilize: 0.75, flow: .balanced)
        #expect(try JSONPayload.decode(ReCoNetParameters.self, from: JSONPayload.encode(all)) == all)
        #expect(try JSONPayload.decode(ReCoNetParameters.self, from: Array("{}".utf8)) == ReCoNetParameters())
        #expect(try JSONPayload.decode(ReCoNetParameters.self, from: Array("{\"stabilize\":0.5}".utf8)) == ReCoNetParameters(stabilize: 0.5))
        #expect(throws: DecodeError.self) { try JSONPayload.decode(ReCoNetParameters.self, from: Array("{\"flow\":\"slow\"}".utf8)) }
    }

    @Test func tasksAndRequestsRoundTripAndCarryThemForReconetOnly() throws {
        func task(_ method: RenderMethod, _ reconet: ReCoNetParameters?) -> Message {
            .task(TaskPayload(spec: TaskSpec(job: 1, chunk: 0, renderStart: 0, ownStart: 0, end: 1, width: 4, height: 2, method: method,
                                             styleCount: 0, styleWeights: [], frameCount: 1, reconet: reconet),
                              styles: [], frames: [FramePayload.encode(width: 4, height: 2, pixels: [UInt8](repeating: 7, count: 24))]))
        }
        let stabilized = ReCoNetParameters(stabilize: 0.6, flow: .accurate)
        #expect(try Message.decode(task(.reconet, stabilized).frames()).decodeTask().spec.reconet == stabilized)
        #expect(try Message.decode(task(.reconet, nil).frames()).decodeTask().spec.reconet == nil)
        #expect(throws: DecodeError.badPayload("a copy task carries reconet settings")) { try task(.copy, stabilized).decodeTask() }
        #expect(throws: DecodeError.badPayload("task's --stabilize-strength 1.0 is outside 0.05...0.95")) {
            try task(.reconet, ReCoNetParameters(stabilize: 1)).decodeTask()
        }

        func submit(_ method: RenderMethod, _ reconet: ReCoNetParameters?) -> Message {
            .submit(JobRequest(input: "/f.mkv", output: "/o.mkv", styles: [], method: method, model: method == .reconet ? "/m.reconet" : nil,
                               chunk: 8, overlap: 6, crf: 18, preset: "medium", reconet: reconet))
        }
        #expect(try Message.decode(submit(.reconet, stabilized).frames()).decodeSubmit().reconet == stabilized)
        #expect(try submit(.reconet, nil).decodeSubmit().reconet == nil)
        #expect(throws: DecodeError.badPayload("a copy job carries reconet settings")) { try submit(.copy, stabilized).decodeSubmit() }
        #expect(throws: DecodeError.badPayload("job's --stabilize-strength 0.0 is outside 0.05...0.95")) {
            try submit(.reconet, ReCoNetParameters(stabilize: 0)).decodeSubmit()
        }
    }

    @Test func onlyAWorkerThatListsTheFeatureTakesStabilizedChunks() {
        #expect(WorkerHello(name: "w", threads: 1).takes(WorkerHello.Feature.stabilize))
        #expect(!WorkerHello(name: "w", threads: 1, features: [WorkerHello.Feature.segment]).takes(WorkerHello.Feature.stabilize))
    }
}
