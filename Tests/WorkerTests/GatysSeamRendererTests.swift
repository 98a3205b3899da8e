import Engine
import Foundation
import Media
import MediaBridge
import Protocol
import Testing
@testable import Worker

/// The seam task at a tiny size: two chains of renders over a pan, the later one starting two
/// frames into the earlier one's end (overlap 2..<4, tail 2, anchor frame 6).
@Suite struct GatysSeamRendererTests {
    static let (width, height) = (48, 32)
    static let common = GatysParameters.with { $0.iterations = 10; $0.iterationsNext = 8; $0.styleWeight = 1e-2 }

    static func chain(_ frames: [RGBImage], from start: Int, to end: Int) throws -> [RGBImage] {
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: start, ownStart: start, end: end, width: width, height: height,
                            method: .gatys, gatys: common, styleCount: 1, styleWeights: [1], frameCount: end - start)
        var out: [RGBImage] = []
        let input = ChunkInput(spec: spec, styles: [MovingTexture.stripes(width: 40, height: 40)], frames: Array(frames[start..<end]))
        try GatysChunkRenderer(weights: MovingTexture.weights).render(input) { _, image in out.append(image) }
        return out
    }

    static func seamTask(_ frames: [RGBImage], earlier: [RGBImage], later: [RGBImage], firstRefined: Int = 2,
                         warm: RGBImage) -> ChunkInput {
        let seam = SeamSpec(laterRenderStart: 2, laterOwnStart: 4, tail: 2, seamEnd: 6, anchored: true)
        let spec = TaskSpec(job: 1, chunk: 9, renderStart: 1, ownStart: 2, end: 7, width: width, height: height, method: .gatys,
                            gatys: common, styleCount: 1, styleWeights: [1], frameCount: 7 - (firstRefined - 1),
                            warmStartFrame: firstRefined - 1, seam: seam)
        var renders: [RGBImage] = []
        for frame in firstRefined..<6 {
            if frame < 4 { renders.append(earlier[frame]) }
            renders.append(later[frame - 2])
        }
        renders.append(later[6 - 2])
        var input = ChunkInput(spec: spec, styles: [MovingTexture.stripes(width: 40, height: 40)],
                               frames: Array(frames[(firstRefined - 1)..<7]), warmStart: warm)
        input.renders = renders
        return input
    }

    /// The refined seam against the coordinator's stitch of the same renders: frames 2-5 come out
    /// in order, carry more of the style (lower style loss: the stitch blended two patterns),
    /// and the film through the seam, from frame 1 to the anchor, stays about as steady.
    @Test func refinedSeamIsMoreStyledAndAsSteadyAsTheStitch() throws {
        let frames = MovingTexture.frames(count: 7, width: Self.width, height: Self.height)
        let earlier = try Self.chain(frames, from: 0, to: 4), later = try Self.chain(frames, from: 2, to: 7)
        var refined: [Int: RGBImage] = [:]
        try GatysSeamRenderer(weights: MovingTexture.weights).render(Self.seamTask(frames, earlier: earlier, later: later, warm: earlier[1])) {
            refined[$0] = $1
        }
        #expect(refined.keys.sorted() == [2, 3, 4, 5])

        // The coordinator's stitch of the same renders (what the film has without --seam-refine).
        var stitched: [Int: RGBImage] = [:]
        var previous = earlier[1]
        for frame in 2..<6 {
            let motion = try FrameMotion(previous: frames[frame - 1].planar, current: frames[frame].planar)
            let carried = motion.carry(previous.planar), l = later[frame - 2]
            let pixels = frame < 4
                ? Stitcher.stitch(earlier: earlier[frame].pixels, later: l.pixels, carried: carried, reliability: motion.reliability.data,
                                  position: frame - 2, overlapLength: 2, tail: 2)
                : Stitcher.stitchTail(later: l.pixels, carried: carried, reliability: motion.reliability.data, position: frame - 2,
                                      overlapLength: 2, tail: 2)
            stitched[frame] = RGBImage(width: Self.width, height: Self.height, pixels: pixels)
            previous = stitched[frame]!
        }
        let (_, renderer) = try GatysChunkRenderer.prepare(Self.seamTask(frames, earlier: earlier, later: later, warm: earlier[1]),
                                                           weights: MovingTexture.weights)
        func styleLoss(_ images: [Int: RGBImage]) throws -> Double {
            try (2..<6).reduce(0) { $0 + (try renderer.render(content: frames[$1].tensor, initial: images[$1]!.tensor, iterations: 1)).initial.style }
        }
        func film(_ seam: [Int: RGBImage]) -> [RGBImage] { [earlier[0], earlier[1]] + (2..<6).map { seam[$0]! } + [later[4]] }
        let steady = try [film(stitched), film(refined)].map { try MovingTexture.meanWarpingError(input: frames, styled: $0) }
        let style = try [styleLoss(stitched), styleLoss(refined)]
        #expect(style[1] < 0.9 * style[0], "style loss: refined \(style[1]) vs stitched \(style[0])")
        #expect(steady[1] < 1.5 * steady[0], "warping error: refined \(steady[1]) vs stitched \(steady[0])")
    }

    /// A seam task resumed after its worker died: only the frames after the warm start.
    @Test func resumedSeamRefinesOnlyTheFramesAfterItsWarmStart() throws {
        let frames = MovingTexture.frames(count: 7, width: Self.width, height: Self.height)
        let earlier = try Self.chain(frames, from: 0, to: 4), later = try Self.chain(frames, from: 2, to: 7)
        var sent: [Int] = []
        try GatysChunkRenderer(weights: MovingTexture.weights).render(Self.seamTask(frames, earlier: earlier, later: later,
                                                                                    firstRefined: 4, warm: earlier[3])) { frame, _ in
            sent.append(frame)
        }
        #expect(sent == [4, 5])
    }
}
