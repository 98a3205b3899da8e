import Engine
import Foundation
import Media
import Protocol
import Testing
@testable import Worker

@Suite struct GatysChunkRendererTests {
    static let (width, height) = (48, 32)

    static func chunk(frames: [RGBImage], parameters: [String: String], warmStart: (frame: Int, image: RGBImage)? = nil) -> ChunkInput {
        let first = warmStart?.frame ?? 0
        let spec = TaskSpec(job: 1, chunk: 0, renderStart: 0, ownStart: 0, end: first + frames.count, width: width, height: height,
                            method: "gatys", parameters: parameters, styleCount: 1, styleWeights: [1], frameCount: frames.count,
                            warmStartFrame: warmStart?.frame)
        return ChunkInput(spec: spec, styles: [MovingTexture.stripes(width: 40, height: 40)], frames: frames, warmStart: warmStart?.image)
    }

    static func render(_ frames: [RGBImage], _ parameters: [String: String]) throws -> [RGBImage] {
        var out: [RGBImage] = []
        try GatysChunkRenderer(weights: MovingTexture.weights).render(chunk(frames: frames, parameters: parameters)) { _, image in out.append(image) }
        return out
    }

    /// Ruder et al.'s two ingredients, the warm start alone and with the temporal loss, against
    /// rendering every frame from its content with the same iterations. (On this tiny pan the
    /// warm start alone already reaches the floor set by the flow's own error; the real clip in
    /// docs/benchmarks.md separates the two.)
    @Test func warmStartAndTemporalLossLowerTheWarpingError() throws {
        let frames = MovingTexture.frames(count: 4, width: Self.width, height: Self.height)
        let common = ["iters": "10", "iters-next": "10", "style-weight": "1e-2"]
        let perFrame = try Self.render(frames, common.merging(["init": "content", "temporal-weight": "0"]) { $1 })
        let warmOnly = try Self.render(frames, common.merging(["temporal-weight": "0"]) { $1 })
        let coherent = try Self.render(frames, common.merging(["temporal-weight": "200"]) { $1 })
        let e = try [perFrame, warmOnly, coherent].map { try MovingTexture.meanWarpingError(input: frames, styled: $0) }
        #expect(perFrame.count == 4 && coherent.count == 4)
        #expect(perFrame != warmOnly)
        #expect(e[1] < e[0], "warm start: \(e[1]) vs per-frame \(e[0])")
        #expect(e[2] < e[0] * 0.6, "warm start + temporal loss: \(e[2]) vs per-frame \(e[0])")
    }

    /// A resumed chunk renders only the frames after its warm-start frame, the first of them
    /// warm-started from it.
    @Test func resumedChunkContinuesFromItsWarmStartFrame() throws {
        let frames = MovingTexture.frames(count: 4, width: Self.width, height: Self.height)
        let styledEarlier = frames[1]   // stands in for the frame the dead worker delivered
        let warmFlags = Flags()
        let renderer = GatysChunkRenderer(weights: MovingTexture.weights) { frame, warm, _ in warmFlags.append(frame, warm) }
        var emitted: [Int] = []
        let input = Self.chunk(frames: Array(frames[1...]), parameters: ["iters": "3", "iters-next": "2"], warmStart: (1, styledEarlier))
        try renderer.render(input) { frame, _ in emitted.append(frame) }
        #expect(emitted == [2, 3])
        #expect(warmFlags.values.map(\.1) == [true, true])
    }

    @Test func badParametersFailTheChunkWithOneLine() throws {
        let frames = MovingTexture.frames(count: 1, width: Self.width, height: Self.height)
        #expect(throws: WorkerError.badTask("iters 0 must be a whole number >= 1")) {
            try GatysChunkRenderer(weights: MovingTexture.weights).render(Self.chunk(frames: frames, parameters: ["iters": "0"])) { _, _ in }
        }
        #expect(throws: WorkerError.badTask("original-colors sepia is not luminance or histogram")) {
            _ = try GatysVideoOptions(parameters: ["original-colors": "sepia"])
        }
        let parsed = try GatysVideoOptions(parameters: ["iters": "7", "iters-next": "3", "temporal-weight": "0", "init": "noise", "seed": "9",
                                                        "content-weight": "2", "style-weight": "0.5", "tv-weight": "1e-4",
                                                        "style-scale": "0.5", "original-colors": "luminance", "flow": "balanced"])
        #expect(parsed.iterations == 7 && parsed.iterationsNext == 3 && parsed.temporalWeight == 0)
        #expect(parsed.start == .noise(seed: 9) && !parsed.warmStarts)
        #expect(parsed.gatys.contentWeight == 2 && parsed.gatys.styleWeight == 0.5 && parsed.gatys.totalVariationWeight == 1e-4)
        #expect(parsed.styleScale == 0.5 && parsed.originalColors == .luminance && parsed.flowPreset == .balanced)
        #expect(try GatysVideoOptions(parameters: [:]).warmStarts)
    }
}

/// Collects observer calls from the render thread.
final class Flags: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(Int, Bool)] = []
    func append(_ frame: Int, _ warm: Bool) { lock.lock(); list.append((frame, warm)); lock.unlock() }
    var values: [(Int, Bool)] { lock.lock(); defer { lock.unlock() }; return list }
}
