import Testing
import Protocol

/// A TASK whose worker encodes the chunk itself: one clip instead of input frames, after the
/// model when there is one; a spec that disagrees with its clip, or asks for a warm start, is refused.
@Suite struct TaskSegmentTests {
    static func task(clipBytes: Int = 300, model: Bool = false) -> TaskPayload {
        var rng = SplitMix64(seed: 11)
        let segment = SegmentSpec(scaleHeight: 72, clipPTS: [0, 40, 80, 120], outputPTS: [0, 1024, 2048, 3072], timeBase: [1, 25600],
                                  frameRate: [25, 1], crf: 18, preset: "medium", lossless: false, container: "mkv", clipBytes: clipBytes,
                                  colour: ColourTags(primaries: 5, transfer: 6, matrix: 5, fullRange: false), meetsPrevious: true, meetsNext: false)
        let spec = TaskSpec(job: 8, chunk: 1, renderStart: 10, ownStart: 10, end: 14, width: 128, height: 72, method: .reconet,
                            styleCount: 1, styleWeights: [1], frameCount: 0,
                            model: model ? ModelReference(sha256: String(repeating: "ab", count: 32), byteCount: 16, attached: true) : nil,
                            segment: segment)
        return TaskPayload(spec: spec, styles: [FramePayload.encode(width: 2, height: 2, pixels: rng.bytes(12))], frames: [],
                           model: model ? rng.bytes(16) : nil, clip: rng.bytes(clipBytes))
    }

    @Test func roundTripsWithTheClipAfterTheModel() throws {
        for model in [false, true] {
            let payload = Self.task(model: model)
            let message = try Message.decode(Message.task(payload).frames())
            #expect(try message.decodeTask() == payload)
            #expect(message.payload.count == 1 + 1 + (model ? 1 : 0) + 1)
            #expect(message.payload.last == payload.clip)
        }
    }

    /// A TASK from a coordinator older than `SegmentSpec.colour` has no `colour` key: it decodes, as nil.
    @Test func aSegmentWithoutColourDecodes() throws {
        var payload = Self.task()
        payload.spec.segment!.colour = nil
        #expect(try Message.decode(Message.task(payload).frames()).decodeTask().spec.segment?.colour == nil)
    }

    @Test func refusesASpecThatDisagreesWithItsClip() throws {
        var shortened = Message.task(Self.task())
        shortened.payload[2].removeLast()
        #expect(throws: DecodeError.badPayload("task clip is 299 bytes, its spec says 300")) { try shortened.decodeTask() }

        var edits: [(inout TaskPayload) -> Void] = [
            { $0.spec.segment!.clipPTS.removeLast() },
            { $0.spec.segment!.outputPTS.append(4096) },
            { $0.spec.segment!.timeBase = [0, 25600] },
            { $0.spec.segment!.container = "avi" },
            { $0.spec.segment!.crf = 99 },
            { $0.spec.segment!.scaleHeight = 1 },
            { $0.spec.segment!.colour!.matrix = 256 },
            { $0.spec.frameCount = 4; $0.frames = Array(repeating: FramePayload.encode(width: 128, height: 72, pixels: [UInt8](repeating: 0, count: 128 * 72 * 3)), count: 4) },
        ]
        edits.append { $0.spec.warmStartFrame = 11; $0.warmStart = FramePayload.encode(width: 128, height: 72, pixels: [UInt8](repeating: 0, count: 128 * 72 * 3)) }
        for edit in edits {
            var payload = Self.task()
            edit(&payload)
            #expect(throws: DecodeError.self) { try Message.decode(Message.task(payload).frames()).decodeTask() }
        }
    }
}
