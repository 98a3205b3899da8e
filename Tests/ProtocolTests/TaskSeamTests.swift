import Testing
import Protocol

/// A seam task: the frame before the seam as warm start, then the renders of the frames it
/// refines (two inside the overlap, one in the tail) and the anchor's; a spec whose seam does not
/// fit its range, or a message one render short, is refused.
@Suite struct TaskSeamTests {
    /// Overlap 20..<24 of the later chunk, tail 2: refines 20..<26, anchor frame 26.
    static func task(firstRefined: Int = 20) -> TaskPayload {
        var rng = SplitMix64(seed: 12)
        func image() -> [UInt8] { FramePayload.encode(width: 4, height: 2, pixels: rng.bytes(24)) }
        let seam = SeamSpec(laterRenderStart: 20, laterOwnStart: 24, tail: 2, seamEnd: 26, anchored: true)
        let spec = TaskSpec(job: 3, chunk: 9, renderStart: 19, ownStart: 20, end: 27, width: 4, height: 2, method: .gatys, gatys: GatysParameters(),
                            styleCount: 1, styleWeights: [1], frameCount: 27 - (firstRefined - 1), warmStartFrame: firstRefined - 1, seam: seam)
        let count = seam.renderCount(firstRefined: firstRefined)
        return TaskPayload(spec: spec, styles: [image()], frames: (0..<spec.frameCount).map { _ in image() }, warmStart: image(),
                           renders: (0..<count).map { _ in image() })
    }

    @Test func roundTripsWithTheRendersAfterTheWarmStart() throws {
        #expect(SeamSpec(laterRenderStart: 20, laterOwnStart: 24, tail: 2, seamEnd: 26, anchored: true).renderCount(firstRefined: 20) == 4 * 2 + 2 + 1)
        for first in [20, 23, 25] {
            let payload = Self.task(firstRefined: first)
            let message = try Message.decode(Message.task(payload).frames())
            #expect(try message.decodeTask() == payload)
            #expect(message.payload.suffix(payload.renders.count).elementsEqual(payload.renders))
        }
        #expect(Self.task(firstRefined: 25).renders.count == 2)
    }

    @Test func refusesASeamThatDoesNotFitItsTask() throws {
        var short = Message.task(Self.task())
        short.payload.removeLast()
        #expect(throws: DecodeError.self) { try short.decodeTask() }
        // Specs edited after the message was built, as a faulty or hostile coordinator would send them.
        let edits: [(inout TaskSpec) -> Void] = [
            { $0.seam!.seamEnd = 27 },
            { $0.seam!.laterRenderStart = 21 },
            { $0.seam!.tail = 1 },
            { $0.seam!.anchored = false },
            { $0.warmStartFrame = nil; $0.frameCount -= 1 },
        ]
        for edit in edits {
            let payload = Self.task()
            var spec = payload.spec
            edit(&spec)
            var message = Message.task(payload)
            message.payload[0] = JSONPayload.encode(spec)
            #expect(throws: DecodeError.self) { try Message.decode(message.frames()).decodeTask() }
        }
    }
}
