import Testing
import Protocol

@Suite struct GatysParametersTests {
    static func with(_ change: (inout GatysParameters) -> Void) -> GatysParameters {
        var parameters = GatysParameters()
        change(&parameters)
        return parameters
    }

    @Test func defaultsAreValidAndTheDocumentedOnes() throws {
        let defaults = GatysParameters()
        try defaults.validate()
        #expect(defaults.iterations == 100 && defaults.iterationsNext == 50 && defaults.temporalWeight == 200)
        #expect(defaults.longTerm == [1] && defaults.passes == 1 && defaults.start == nil && defaults.warmStarts)
        #expect(defaults.styleScale == 1 && defaults.originalColors == nil && defaults.flow == .fast)
        #expect(defaults.stopTolerance == 0.03 && defaults.stopWindow == 5)
        #expect(defaults.startModel && defaults.carryHistory && defaults.coarseIterations == 30)
    }

    @Test func everyOutOfRangeValueIsRefusedNamingItsOption() {
        let cases: [(String, (inout GatysParameters) -> Void)] = [
            ("--iters 0 is outside 1...100000", { $0.iterations = 0 }),
            ("--iters-next 100001 is outside 1...100000", { $0.iterationsNext = 100_001 }),
            ("--coarse-iters -1 is outside 1...100000 (or 0: off)", { $0.coarseIterations = -1 }),
            ("--temporal-weight must be a number >= 0", { $0.temporalWeight = -1 }),
            ("--temporal-weight must be a number >= 0", { $0.temporalWeight = .infinity }),
            ("--long-term must list frame distances in 1...1000 including 1, e.g. 1,2,4", { $0.longTerm = [2, 4] }),
            ("--long-term must list frame distances in 1...1000 including 1, e.g. 1,2,4", { $0.longTerm = [] }),
            ("--long-term must list frame distances in 1...1000 including 1, e.g. 1,2,4", { $0.longTerm = [1, 1001] }),
            ("--long-term must list frame distances in 1...1000 including 1, e.g. 1,2,4", { $0.longTerm = [2, 1] }),
            ("--long-term must list frame distances in 1...1000 including 1, e.g. 1,2,4", { $0.longTerm = [1, 2, 2] }),
            ("--passes 101 is outside 1...100", { $0.passes = 101 }),
            ("--stop-tolerance must be a number in [0, 1)", { $0.stopTolerance = -0.01 }),
            ("--stop-tolerance must be a number in [0, 1)", { $0.stopTolerance = 1 }),
            ("--stop-tolerance must be a number in [0, 1)", { $0.stopTolerance = .nan }),
            ("--stop-window 0 is outside 1...1000", { $0.stopWindow = 0 }),
            ("--content-weight must be a number >= 0", { $0.contentWeight = -1 }),
            ("--style-weight must be a number >= 0", { $0.styleWeight = .nan }),
            ("--tv-weight must be a number >= 0", { $0.tvWeight = -0.5 }),
            ("--style-scale must be in (0, 16]", { $0.styleScale = 0 }),
            ("--style-scale must be in (0, 16]", { $0.styleScale = 17 }),
            ("--init needs content, noise or a picture's path", { $0.start = .image(path: "") }),
        ]
        for (message, change) in cases {
            #expect(throws: ParameterError(message)) { try Self.with(change).validate() }
        }
    }

    @Test func roundTripsThroughJSONAndLeftOutKeysKeepTheirDefaults() throws {
        let all = Self.with {
            $0.iterations = 7; $0.iterationsNext = 3; $0.temporalWeight = 0; $0.longTerm = [1, 2, 4]; $0.passes = 3
            $0.start = .image(path: "/styles/start.png"); $0.contentWeight = 2; $0.styleWeight = 0.5; $0.tvWeight = 1e-4
            $0.styleScale = 0.5; $0.originalColors = .histogram; $0.flow = .accurate; $0.stopTolerance = 0.02; $0.stopWindow = 7
        }
        #expect(try JSONPayload.decode(GatysParameters.self, from: JSONPayload.encode(all)) == all)
        let noise = Self.with { $0.start = .noise(seed: 9) }
        #expect(try JSONPayload.decode(GatysParameters.self, from: JSONPayload.encode(noise)) == noise)
        #expect(try JSONPayload.decode(GatysParameters.self, from: Array("{}".utf8)) == GatysParameters())
        #expect(try JSONPayload.decode(GatysParameters.self, from: Array("{\"passes\":2}".utf8)) == Self.with { $0.passes = 2 })
        #expect(throws: DecodeError.self) { try JSONPayload.decode(GatysParameters.self, from: Array("{\"iterations\":\"100\"}".utf8)) }
    }

    /// The wire decoder refuses what the submit tool would have refused, and settings that are
    /// not the method's own.
    @Test func tasksAndRequestsCarryTheirMethodsSettingsOnly() throws {
        func task(_ method: RenderMethod, _ gatys: GatysParameters?) -> Message {
            .task(TaskPayload(spec: TaskSpec(job: 1, chunk: 0, renderStart: 0, ownStart: 0, end: 1, width: 4, height: 2, method: method,
                                             gatys: gatys, styleCount: 0, styleWeights: [], frameCount: 1),
                              styles: [], frames: [FramePayload.encode(width: 4, height: 2, pixels: [UInt8](repeating: 7, count: 24))]))
        }
        #expect(try Message.decode(task(.gatys, GatysParameters()).frames()).decodeTask().spec.gatys == GatysParameters())
        #expect(throws: DecodeError.badPayload("a gatys task carries no settings")) { try task(.gatys, nil).decodeTask() }
        #expect(throws: DecodeError.badPayload("a copy task carries gatys settings")) { try task(.copy, GatysParameters()).decodeTask() }
        #expect(throws: DecodeError.badPayload("task's --passes 0 is outside 1...100")) {
            try task(.gatys, Self.with { $0.passes = 0 }).decodeTask()
        }
        func submit(_ method: RenderMethod, _ gatys: GatysParameters?, model: String? = nil) -> Message {
            .submit(JobRequest(input: "/f.mkv", output: "/o.mkv", styles: [], method: method, gatys: gatys, model: model,
                               chunk: 8, overlap: 2, crf: 18, preset: "medium"))
        }
        #expect(try submit(.reconet, nil, model: "/m.reconet").decodeSubmit().model == "/m.reconet")
        #expect(throws: DecodeError.badPayload("a reconet job names no model")) { try submit(.reconet, nil).decodeSubmit() }
        #expect(throws: DecodeError.badPayload("a copy job names a model")) { try submit(.copy, nil, model: "/m.reconet").decodeSubmit() }
        #expect(throws: DecodeError.badPayload("a gatys job carries no settings")) { try submit(.gatys, nil).decodeSubmit() }
        #expect(throws: DecodeError.badPayload("job's --iters 0 is outside 1...100000")) {
            try submit(.gatys, Self.with { $0.iterations = 0 }).decodeSubmit()
        }
    }
}
