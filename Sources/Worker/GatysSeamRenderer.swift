import Engine
import Media
import MediaBridge
import Protocol

/// A seam task (`SeamSpec`, `submit --seam-refine`): the frames where one chunk's chain hands
/// over to the next, stitched exactly as the coordinator stitches them (`Stitcher`: the stitched
/// previous frame carried by the flow, mixed with the later render by a falling share), then
/// each re-optimised by Gatys from its stitch. The stitch alone spreads the difference between
/// the two chains over the seam but blends two patterns into a softer one; the re-optimisation
/// gives the style loss the frame again, held by temporal losses (Ruder et al.'s, weighted by
/// the flow's reliability) toward both neighbours: the refined frame before, carried forward,
/// and the stitched frame after, carried back, or for the last frame the later chunk's render
/// after the seam, so that the seam ends where the later chain goes on.
///
/// Runs on any worker: everything it needs is in the TASK (input frames from the frame before
/// the seam, that frame's final render as the warm start, both chunks' renders).
struct GatysSeamRenderer {
    let weights: VGGWeights?

    /// How much more the seam's temporal losses weigh than the chain's (`--temporal-weight`). A
    /// chain frame starts from the frame before, carried, so its temporal loss only has to hold
    /// it there; a seam frame starts from a soft stitch that the style loss restyles freely, and
    /// at the chain's weight the seam stepped about twice as much per frame as the stitch did.
    /// Measured on scripts/demo.sh's job (docs/benchmarks.md, "Coherent Gatys"): boundary /
    /// interior 1.46 at 1x, 1.31 at 4x, 1.25 at 16x, the seam frames' style loss 0.8-0.9x,
    /// 0.8-1.0x and 1.0-1.3x an interior frame's (the stitch alone: 16-27x).
    static let temporalBoost = 16.0

    func render(_ chunk: ChunkInput, emit: (Int, RGBImage) throws -> Void) throws {
        guard let seam = chunk.spec.seam, let warm = chunk.warmStart else { throw WorkerError.badTask("a seam task needs its seam and warm start") }
        let (options, renderer) = try GatysChunkRenderer.prepare(chunk, weights: weights)
        let first = chunk.frameIndex(1)   // chunk.frames[0] is the warm start's input frame
        let refined = first..<seam.seamEnd
        guard chunk.renders.count == seam.renderCount(firstRefined: first) else {
            throw WorkerError.badTask("seam task carries \(chunk.renders.count) renders, its seam needs \(seam.renderCount(firstRefined: first))")
        }
        let motions = ChunkMotions(frames: chunk.frames.map(\.planar), flow: DISFlow(preset: options.flowPreset),
                                   absoluteIndex: chunk.frameIndex)
        // Chunk-relative index of an absolute frame.
        func local(_ frame: Int) -> Int { frame - chunk.spec.firstInputFrame }

        // The renders by frame: (earlier, later) inside the overlap, (nil, later) after it.
        var renders: [Int: (earlier: RGBImage?, later: RGBImage)] = [:]
        var next = 0
        for frame in refined {
            if frame < seam.laterOwnStart {
                renders[frame] = (chunk.renders[next], chunk.renders[next + 1])
                next += 2
            } else {
                renders[frame] = (nil, chunk.renders[next])
                next += 1
            }
        }
        let anchor = seam.anchored ? chunk.renders[next] : nil

        // The stitch, frame after frame from the warm start, as the coordinator's would be: the
        // plan the refinement follows (each frame's target after it).
        let overlapLength = seam.laterOwnStart - seam.laterRenderStart
        func stitch(_ frame: Int, after previous: RGBImage) throws -> RGBImage {
            let motion = try motions.motion(from: local(frame - 1), to: local(frame))
            let carried = motion.carry(previous.planar), (earlier, later) = renders[frame]!
            let position = frame - seam.laterRenderStart
            let pixels = earlier.map {
                Stitcher.stitch(earlier: $0.pixels, later: later.pixels, carried: carried, reliability: motion.reliability.data,
                                position: position, overlapLength: overlapLength, tail: seam.tail)
            } ?? Stitcher.stitchTail(later: later.pixels, carried: carried, reliability: motion.reliability.data,
                                     position: position, overlapLength: overlapLength, tail: seam.tail)
            return RGBImage(width: later.width, height: later.height, pixels: pixels)
        }
        var planned: [Int: RGBImage] = [:]
        var previous = warm
        for frame in refined {
            planned[frame] = try stitch(frame, after: previous)
            previous = planned[frame]!
        }

        // The re-optimisation, in order: each frame starts from its stitch after the *refined*
        // frame before (so the start already agrees with what it is held to), held to that frame
        // and to what follows it: the planned stitch of the next frame, or the anchor.
        let temporalWeight = Self.temporalBoost * options.temporalWeight
        var before = warm
        for frame in refined {
            if frame > first, chunk.shouldStop() { throw WorkerError.cancelled }
            let i = local(frame)
            let back = try motions.motion(from: i - 1, to: i)
            var losses = [TemporalLoss(target: back.carry(before.planar).tensor, mask: back.reliability.data,
                                       weight: temporalWeight)]
            if let after = frame + 1 < seam.seamEnd ? planned[frame + 1] : anchor {
                let ahead = try motions.motion(from: i + 1, to: i)
                losses.append(TemporalLoss(target: ahead.carry(after.planar).tensor, mask: ahead.reliability.data,
                                           weight: temporalWeight))
            }
            let extraLoss: GatysRenderer.ExtraLoss? = temporalWeight > 0
                ? { x, g in losses.reduce(0) { $0 + $1.evaluate(x, gradient: &g) } } : nil
            let result: GatysRenderer.Result
            do {
                result = try renderer.render(content: chunk.frames[i].tensor, initial: try stitch(frame, after: before).tensor,
                                             iterations: options.iterationsNext, stop: options.stop, extraLoss: extraLoss)
            } catch let error as WorkerError {
                throw error
            } catch {
                throw WorkerError.badTask("\(error)")
            }
            before = RGBImage(tensor: result.image)
            try emit(frame, GatysChunkRenderer.shown(result.image, content: chunk.frames[i], options: options))
        }
    }
}
