import Engine
import Foundation
import Media
import MediaBridge
import Protocol
import Testing
@testable import Worker

/// The keyframe hand-over's hold on a tiny pan: a chain of frames 0..<6 held over its last 3
/// frames toward the next chunk's keyframe (frame 6, rendered on its own) ends close to that
/// keyframe carried back by the flow, where the same chain without the hold does not; the frames
/// before the hold are untouched.
@Suite struct KeyframeHoldTests {
    static let (width, height) = (48, 32)
    /// Fixed counts and no carried L-BFGS memory: a stopping rule and carried pairs amplify a last-bit
    /// difference along the chain (a full parallel CI run saw frame 2 differ by 34 levels with them).
    static let parameters = GatysParameters.with {
        $0.iterations = 10; $0.iterationsNext = 8; $0.styleWeight = 1e-2; $0.stopTolerance = 0; $0.carryHistory = false
    }

    static func render(_ frames: [RGBImage], _ range: Range<Int>, hold: HoldSpec? = nil, keyframe: RGBImage? = nil) throws -> [RGBImage] {
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: range.lowerBound, ownStart: range.lowerBound, end: range.upperBound,
                            width: width, height: height, method: .gatys, gatys: parameters, styleCount: 1, styleWeights: [1],
                            frameCount: range.count + (hold == nil ? 0 : 1), hold: hold)
        try spec.validate()
        var input = ChunkInput(spec: spec, styles: [MovingTexture.stripes(width: 40, height: 40)],
                               frames: Array(frames[range.lowerBound..<(range.upperBound + (hold == nil ? 0 : 1))]))
        input.renders = keyframe.map { [$0] } ?? []
        var out: [RGBImage] = []
        try GatysChunkRenderer(weights: MovingTexture.weights).render(input) { frame, image in
            #expect(frame == range.lowerBound + out.count)
            out.append(image)
        }
        return out
    }

    /// Mean squared difference, over the pixels the flow from the keyframe reaches reliably,
    /// between `image` (frame `frame`) and the keyframe carried onto it.
    static func distanceToCarriedKeyframe(_ image: RGBImage, frame: Int, keyframe: RGBImage, frames: [RGBImage]) throws -> Double {
        let motion = try FrameMotion(previous: frames[6].planar, current: frames[frame].planar)
        let carried = motion.carry(keyframe.planar).tensor, mask = motion.reliability.data, x = image.tensor
        var sum = 0.0, weight = 0.0
        let plane = mask.count
        x.withUnsafeBufferPointer { a in carried.withUnsafeBufferPointer { b in
            for i in 0..<a.count {
                let d = Double(a[i] - b[i])
                sum += Double(mask[i % plane]) * d * d
                weight += Double(mask[i % plane])
            }
        } }
        return sum / max(weight, 1)
    }

    @Test func heldChainEndsAtTheCarriedKeyframeAndIsUntouchedBeforeTheHold() throws {
        let frames = MovingTexture.frames(count: 7, width: Self.width, height: Self.height)
        let keyframe = try Self.render(frames, 6..<7)[0]
        let free = try Self.render(frames, 0..<6)
        let held = try Self.render(frames, 0..<6, hold: HoldSpec(keyframe: 6, frames: 3), keyframe: keyframe)
        #expect(held.count == 6)
        // Frames before the hold are the free chain's. Alone this test sees them bit for bit; in the
        // full parallel run some came back different (CI of b4eadee and of 990c5ae), so the check
        // is on the mean difference, under a level: a hold leaking into these frames would move
        // them by far more.
        let before = (0..<3).map { i in
            Double(zip(held[i].pixels, free[i].pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(held[i].pixels.count)
        }
        #expect(before.allSatisfy { $0 < 1 }, "mean difference before the hold, per frame: \(before)")
        let distance = try [free[5], held[5]].map { try Self.distanceToCarriedKeyframe($0, frame: 5, keyframe: keyframe, frames: frames) }
        #expect(distance[1] < 0.25 * distance[0], "last frame to the carried keyframe: held \(distance[1]), free \(distance[0])")
        // The hold rises frame by frame: each held frame is nearer its carried keyframe than the one before.
        let steps = try (3..<6).map { try Self.distanceToCarriedKeyframe(held[$0], frame: $0, keyframe: keyframe, frames: frames) }
        #expect(steps[2] < steps[0], "held frames' distances \(steps)")
    }

    static func heldInput(_ frames: [RGBImage], keyframe: RGBImage, held: Int) throws -> ChunkInput {
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: 0, ownStart: 0, end: 6, width: width, height: height, method: .gatys,
                            gatys: parameters, styleCount: 1, styleWeights: [1], frameCount: 7, hold: HoldSpec(keyframe: 6, frames: held))
        try spec.validate()
        var input = ChunkInput(spec: spec, styles: [MovingTexture.stripes(width: 40, height: 40)], frames: Array(frames[0...6]))
        input.renders = [keyframe]
        return input
    }

    @Test func theKeyframeIsCarriedBackOneFrameAtATimeAlongTheChainsFlowsAndPullsEveryPixel() throws {
        let frames = MovingTexture.frames(count: 7, width: Self.width, height: Self.height)
        let keyframe = MovingTexture.stripes(width: Self.width, height: Self.height)
        let input = try Self.heldInput(frames, keyframe: keyframe, held: 3)
        let motions = ChunkMotions(frames: input.frames.map(\.planar), flow: DISFlow(preset: .fast), absoluteIndex: { $0 })
        let pulls = try #require(try KeyframeHold(input)).pulls(chunk: input, motions: motions)
        #expect(pulls.keys.sorted() == [3, 4, 5])
        #expect([3, 4, 5].map { pulls[$0]!.fraction } == [Float(1) / 3, Float(1) / 2, 1], "1/d of the way that is left")
        var expected = keyframe.planar
        for i in [5, 4, 3] {
            expected = Warp.backward(expected, by: try motions.motion(from: i, to: i + 1).forward)
            #expect(pulls[i]!.target.scalars == expected.data, "frame \(i)'s target is not frame \(i + 1)'s carried back")
        }
    }

    /// The last held frame shows the carried keyframe whatever its render (a fade of weight 1), so
    /// its optimisation is not run: the report says 0 iterations for it alone, and it is the
    /// keyframe carried back along the chain's flows.
    @Test func theLastHeldFrameIsTheCarriedKeyframeWithoutAnOptimisation() throws {
        let frames = MovingTexture.frames(count: 7, width: Self.width, height: Self.height)
        let keyframe = try Self.render(frames, 6..<7)[0]
        var input = try Self.heldInput(frames, keyframe: keyframe, held: 3)
        let lines = LockedLines()
        input.report = { lines.append($0) }
        var out: [RGBImage] = []
        try GatysChunkRenderer(weights: MovingTexture.weights).render(input) { out.append($1) }
        #expect(out.count == 6)
        let iterations = (0..<6).map { frame in lines.all.first { $0.hasPrefix("frame \(frame): ") } ?? "" }
        #expect(iterations[5].hasPrefix("frame 5: 0 iterations (the carried keyframe)"), "\(lines.all)")
        #expect(iterations[0..<5].allSatisfy { !$0.isEmpty && !$0.contains(": 0 iterations") }, "\(lines.all)")
        let motions = ChunkMotions(frames: input.frames.map(\.planar), flow: DISFlow(preset: GatysVideoOptions(Self.parameters).flowPreset),
                                   absoluteIndex: input.frameIndex)
        let carried = try #require(try KeyframeHold(input)).pulls(chunk: input, motions: motions)[5]!.target
        let worst = zip(out[5].tensor.scalars, carried.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1, "frame 5 against the carried keyframe: \(worst) levels")
    }

    @Test func aHeldFrameIsFadedTowardItsPullWithoutAStaticHoldToo() throws {
        let frames = MovingTexture.frames(count: 7, width: Self.width, height: Self.height)
        let keyframe = MovingTexture.stripes(width: Self.width, height: Self.height)
        let input = try Self.heldInput(frames, keyframe: keyframe, held: 1)
        let render = frames[5].tensor
        let pull: KeyframeHold.Pull = (keyframe.tensor, 1)
        var noHold: StaticHold? = nil
        let out = GatysChunkRenderer.steadied(render, frame: 5, chunk: input, still: &noHold, pull: pull)
        #expect(zip(out.scalars, keyframe.tensor.scalars).allSatisfy { abs($0 - $1) < 1e-3 }, "fraction 1 must give the carried keyframe")
        #expect(GatysChunkRenderer.steadied(render, frame: 5, chunk: input, still: &noHold, pull: nil).scalars == render.scalars)
    }

    /// The pull and the chain's temporal loss, both quadratic, balance at the frame's fraction.
    @Test func thePullsWeightBalancesTheChainsLossAtTheFraction() {
        for f: Float in [0.25, 1.0 / 3, 0.5] {
            let b = KeyframeHold.pullWeight(fraction: f)
            // minimiser of (x - 0)^2 + b (x - 1)^2
            #expect(abs(b / (1 + b) - Double(f)) < 1e-6)
        }
        #expect(KeyframeHold.pullWeight(fraction: 1) > 1)
    }

    @Test func aHeldFrameMovesOneOverItsDistanceOfTheWayLeft() {
        let hold = HoldSpec(keyframe: 10, frames: 4)
        let expected: [Float] = [0, 1.0 / 4, 1.0 / 3, 1.0 / 2, 1, 0]
        #expect((5...10).map { hold.fraction(at: $0) } == expected)
    }

    @Test func aChunkHeldWithoutTheKeyframeRenderIsRefused() throws {
        let frames = MovingTexture.frames(count: 3, width: Self.width, height: Self.height)
        #expect(throws: WorkerError.self) { try Self.render(frames, 0..<2, hold: HoldSpec(keyframe: 2, frames: 1)) }
    }
}
