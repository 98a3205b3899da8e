import Engine
import Foundation
import Media
import MediaBridge
import Protocol

/// `gatys`: a chunk styled by Gatys optimisation frame after frame, coherent in time as in
/// Ruder, Dosovitskiy, Brox 2016. The chunk's first frame starts from its `start` (the content
/// by default); every later frame starts from the previous output carried onto it by the
/// optical flow between the two input frames, and is held there by the short-term temporal
/// loss wherever the flow is reliable (forward-backward check, motion boundaries). With
/// `longTerm` it is held to several earlier outputs, each pixel to the nearest that saw it
/// (their eq. 9-10); with `passes` > 1 the chunk is rendered again backward and forward, each
/// frame restarting half-way toward its carried neighbour (their multi-pass, sec. 3.4), so a
/// chunk's first frames are refined from the later ones too. A resumed chunk continues from
/// its warm-start frame exactly as if it had rendered it itself.
///
/// The settings come from the TASK's `GatysParameters` (`GatysVideoOptions`); the style targets are
/// computed once per chunk, the flows once per frame pair from the input frames the TASK carries.
public struct GatysChunkRenderer: FrameRenderer {
    /// The VGG weights to use; nil loads `ModelStore.defaultWeightsPath()` once per process.
    let weights: VGGWeights?
    /// Called after every frame with its absolute index and the loss terms, for tests and logs.
    let observer: (@Sendable (_ frame: Int, _ warmStarted: Bool, _ losses: GatysRenderer.Losses) -> Void)?

    /// The worker's ReCoNet models: a TASK naming one (`spec.model`) starts its chunk from that
    /// network's render of the first frame instead of from the content.
    let models: ModelCache

    public init(weights: VGGWeights? = nil, models: ModelCache = ModelCache(),
                observer: (@Sendable (Int, Bool, GatysRenderer.Losses) -> Void)? = nil) {
        self.weights = weights
        self.models = models
        self.observer = observer
    }

    public func render(_ chunk: ChunkInput, emit: (Int, RGBImage) throws -> Void) throws {
        guard let first = chunk.frames.first else { return }
        if chunk.spec.seam != nil { return try GatysSeamRenderer(weights: weights).render(chunk, emit: emit) }
        let (options, renderer) = try Self.prepare(chunk, weights: weights)
        let coarseToFine = try Self.coarseToFine(chunk, options: options, weights: weights, fine: renderer)
        let (width, height) = (first.width, first.height)
        // Bytes that came with this TASK are kept even when this chunk does not start from them:
        // the coordinator counts this worker as holding the model from now on.
        if let bytes = chunk.model, let reference = chunk.spec.model { try models.insert(bytes, as: reference) }
        var startImage = try Self.startImage(options.start, width: width, height: height)
        if options.warmStarts, chunk.warmStart == nil, let network = try startModel(chunk) {
            // Only the chunk's first frame is not warm-started in a chain: the network's render
            // of it starts the chain (docs/benchmarks.md, "A chunk's first frame from a ReCoNet render").
            startImage = network
        }
        let motions = ChunkMotions(frames: chunk.frames.map(\.planar), flow: DISFlow(preset: options.flowPreset),
                                   absoluteIndex: chunk.frameIndex)
        let hold = try KeyframeHold(chunk)

        // Raw optimiser outputs (before any colour transfer) by chunk index: what later frames
        // are warm-started from and held to. A resumed chunk's index 0 is its warm-start frame,
        // fixed; every other entry is replaced by each pass that renders it.
        var outputs = [Tensor?](repeating: nil, count: chunk.frames.count)
        if let warm = chunk.warmStart { outputs[0] = warm.tensor }
        let order = Array(chunk.framesToRender)
        // Per-frame rendering (an explicit start, nothing warm-started) has nothing to refine.
        let passes = options.warmStarts ? options.passes : 1
        // L-BFGS's curvature pairs, passed from frame to frame along the chain when asked.
        let memory = options.carryHistory ? LBFGS.Memory() : nil
        // Still pixels keep their paint along the chain, in frame order; a resumed chunk's hold
        // starts at its warm-start frame, as the uninterrupted chain's had reached it.
        var still = options.warmStarts ? options.staticHold : nil
        // The held frames' pulls (the keyframe carried back onto each) serve their renders and
        // their steadying, on every pass: computed once.
        let pulls = try hold?.pulls(chunk: chunk, motions: motions) ?? [:]
        if let warm = chunk.warmStart { still?.start(input: chunk.frames[0].planar, output: warm.planar) }
        for pass in 0..<passes {
            let forward = pass % 2 == 0, last = pass == passes - 1
            for i in forward ? order : order.reversed() {
                if !last, chunk.shouldStop() { throw WorkerError.cancelled }
                let step = forward ? 1 : -1
                var (image, warm, losses) = try renderFrame(i, pass: pass, step: step, chunk: chunk, options: options,
                                                            renderer: renderer, motions: motions, outputs: outputs,
                                                            startImage: startImage, pull: pulls[i], memory: memory,
                                                            coarseToFine: pass == 0 ? coarseToFine : nil)
                // On a last pass forward the held frame is also what the next frame starts from.
                if last && forward { image = Self.steadied(image, frame: i, chunk: chunk, still: &still, pull: pulls[i]) }
                outputs[i] = image
                if last {
                    observer?(chunk.frameIndex(i), warm, losses)
                    if forward { try emit(chunk.frameIndex(i), Self.shown(image, content: chunk.frames[i], options: options)) }
                }
            }
            // A last pass that ran backward has its frames in reverse: they are held and sent in order now.
            if last && !forward {
                for i in order {
                    let image = Self.steadied(outputs[i]!, frame: i, chunk: chunk, still: &still, pull: pulls[i])
                    try emit(chunk.frameIndex(i), Self.shown(image, content: chunk.frames[i], options: options))
                }
            }
        }
    }

    /// The render of the chunk's first frame by the TASK's model, or nil when it names none or
    /// the frame is smaller than the network takes.
    private func startModel(_ chunk: ChunkInput) throws -> Tensor? {
        guard let reference = chunk.spec.model, let first = chunk.frames.first,
              min(first.width, first.height) >= ReCoNet.minimumSide else { return nil }
        let pixels = try models.withNetwork(reference.sha256) { $0.stylize(packedRGB: first.pixels, width: first.width, height: first.height) }
        return RGBImage(width: first.width, height: first.height, pixels: pixels).tensor
    }

    /// `image` (frame `i`'s render) with its still pixels kept from the frame before (`StaticHold`).
    /// A frame held toward the next keyframe is then faded its fraction of the way toward the
    /// carried keyframe (`KeyframeHold.faded`): still pixels the keyframe agrees with (the spine
    /// started it from the same values) stay put, and any the keyframe painted differently are
    /// walked to its values over the held frames instead of jumping at the keyframe.
    static func steadied(_ image: Tensor, frame i: Int, chunk: ChunkInput, still: inout StaticHold?,
                         pull: KeyframeHold.Pull?) -> Tensor {
        var out = image
        if still != nil { out = still!.next(input: chunk.frames[i].planar, raw: PlanarImage(tensor: image)).tensor }
        if let pull {
            out = KeyframeHold.faded(out, toward: pull)
            still?.replaceLast(with: PlanarImage(tensor: out))
        }
        return out
    }

    /// The chunk's settings and its renderer, with the style targets computed: styles at
    /// `styleScale` times the frame width, recoloured toward the chunk's first frame when asked
    /// (a per-chunk choice: chunks of one shot see nearly the same colours).
    static func prepare(_ chunk: ChunkInput, weights: VGGWeights?) throws -> (GatysVideoOptions, GatysRenderer) {
        guard let parameters = chunk.spec.gatys else { throw WorkerError.badTask("a gatys task carries no settings") }
        let options = GatysVideoOptions(parameters)
        return (options, try renderer(chunk, options: options, weights: weights, frameWidth: chunk.frames[0].width))
    }

    /// A renderer for the chunk's frames at `frameWidth`: the styles at `styleScale` times that width.
    static func renderer(_ chunk: ChunkInput, options: GatysVideoOptions, weights: VGGWeights?, frameWidth: Int) throws -> GatysRenderer {
        guard !chunk.styles.isEmpty else { throw WorkerError.badTask("method gatys needs at least one style image") }
        let vgg = try weights ?? Self.defaultWeights()
        do {
            return try GatysStill.renderer(weights: vgg, options: options.gatys, styles: chunk.styles.map(\.tensor),
                                           blendWeights: chunk.spec.styleWeights, frameWidth: frameWidth, styleScale: options.styleScale,
                                           recolourToward: options.originalColors == .histogram ? chunk.frames[0].tensor : nil)
        } catch {
            throw WorkerError.badTask("\(error)")
        }
    }

    /// The half-size level for the chunk's first frame (`--coarse-iters`), or nil when it is off.
    static func coarseToFine(_ chunk: ChunkInput, options: GatysVideoOptions, weights: VGGWeights?, fine: GatysRenderer) throws -> CoarseToFine? {
        // A resumed or keyframe-started chunk (warm start) has no frame that starts afresh.
        guard options.coarseIterations > 0, chunk.warmStart == nil, let first = chunk.frames.first else { return nil }
        let size = CoarseToFine.coarseSize(width: first.width, height: first.height, minimumSide: fine.minimumSide)
        let coarse = try renderer(chunk, options: options, weights: weights, frameWidth: size.width)
        return CoarseToFine(coarse: coarse, fine: fine, coarseIterations: options.coarseIterations)
    }

    /// One frame of one pass: its start and temporal losses from the frames already rendered in
    /// the pass's direction (`step` +1: those before it; -1: those after it) and, for a frame
    /// held toward the next keyframe, from that keyframe (`pull`), then the optimiser.
    private func renderFrame(_ i: Int, pass: Int, step: Int, chunk: ChunkInput, options: GatysVideoOptions,
                             renderer: GatysRenderer, motions: ChunkMotions, outputs: [Tensor?],
                             startImage: Tensor?, pull: KeyframeHold.Pull?, memory: LBFGS.Memory?,
                             coarseToFine: CoarseToFine?) throws -> (Tensor, warm: Bool, GatysRenderer.Losses) {
        // How the report names this render.
        let label = "frame \(chunk.frameIndex(i))\(pass > 0 ? " pass \(pass + 1)" : "")"
        // The last held frame becomes the carried keyframe whatever its render (a fade of weight
        // 1, `steadied`), and no later frame of the chunk starts from it: its optimisation would
        // be thrown away, so it is not run (a backward pass starts from what it shows).
        if let pull, pull.fraction >= 1 {
            chunk.report("\(label): 0 iterations (the carried keyframe)")
            return (pull.target, true, GatysRenderer.Losses())
        }
        let content = chunk.frames[i].tensor
        // The neighbours this frame is held to: J's distances taken in the pass's direction,
        // nearest first, where an output exists (inside the chunk, or the warm-start frame).
        let neighbours = options.warmStarts
            ? options.longTerm.map { i - step * $0 }.filter { outputs.indices.contains($0) && outputs[$0] != nil }
            : []
        let carried = try neighbours.map { n in
            let motion = try motions.motion(from: n, to: i)
            return (image: motion.carry(PlanarImage(tensor: outputs[n]!)).tensor, reliability: motion.reliability.data)
        }
        let masks = LongTermMasks.masks(carried.map(\.reliability))
        // J always holds 1 (GatysVideoOptions checks): the frame next to it, when rendered, is carried[0].
        let nearest = neighbours.first == i - step
        var initial: Tensor
        if nearest {
            let next = carried[0].image
            if pass == 0 {
                // The warm start: the neighbour carried over; where it is unreliable but a
                // farther frame of J saw the pixel, that frame's carried render instead (beyond
                // Ruder et al., who start from the neighbour alone and rely on long
                // optimisations to pull such pixels back: a few iterations do not).
                initial = next
                for (far, mask) in zip(carried, masks).dropFirst() {
                    initial = Self.blend(initial, toward: far.image, mask: mask, share: 1)
                }
            } else {
                // Ruder et al.'s multi-pass start: half-way from this frame's last render toward
                // its neighbour carried over, where the carried neighbour is reliable.
                initial = Self.blend(outputs[i]!, toward: next, mask: carried[0].reliability, share: 0.5)
            }
        } else {
            initial = pass == 0 ? (startImage ?? content) : outputs[i]!
        }
        var losses = zip(carried, masks).map { TemporalLoss(target: $0.0.image, mask: $0.1, weight: options.temporalWeight) }
        if let pull {
            initial = KeyframeHold.faded(initial, toward: pull)
            let mask = [Float](repeating: 1, count: content.shape[2] * content.shape[3])
            losses.append(TemporalLoss(target: pull.target, mask: mask,
                                       weight: KeyframeHold.pullWeight(fraction: pull.fraction) * options.temporalWeight))
        }
        var extraLoss: GatysRenderer.ExtraLoss?
        if options.temporalWeight > 0 && !losses.isEmpty {
            extraLoss = { x, g in losses.reduce(0) { $0 + $1.evaluate(x, gradient: &g) } }
        }
        // A chunk's first frame gets `iterations` on the first pass, every other render
        // `iterationsNext`, warm-started or not, so that per-frame rendering with the same
        // options spends the same effort; with a stopping rule these are caps. A keyframe
        // started from the previous one is a chunk's first frame too: its start, carried a
        // whole chunk, is rougher than a neighbour's, so it may use the larger cap.
        let chunkStart = i == 0 || chunk.spec.keyframeFrom != nil
        let iterations = pass == 0 && chunkStart ? options.iterations : options.iterationsNext
        // Coarse-to-fine only for a chunk's first frame that starts afresh: not a carried
        // neighbour or keyframe, whose start already holds the picture the coarse level would look
        // for, and not the later frames of per-frame rendering (`--init`), which keep their count.
        let coarse = chunkStart && !nearest && pull == nil ? coarseToFine : nil
        let result: GatysRenderer.Result
        do {
            if let coarse {
                let levels = try coarse.render(content: content, initial: initial, iterations: iterations, stop: options.stop,
                                               extraLoss: extraLoss, memory: memory)
                chunk.report("frame \(chunk.frameIndex(i)): \(levels.coarse.iterations) iterations at half size (cap \(coarse.coarseIterations))")
                result = levels.fine
            } else {
                result = try renderer.render(content: content, initial: initial, iterations: iterations, stop: options.stop,
                                             extraLoss: extraLoss, memory: memory)
            }
        } catch {
            throw WorkerError.badTask("\(error)")
        }
        let stopped = result.iterations < iterations ? "stopped" : "cap"
        chunk.report("\(label): \(result.iterations) iterations (\(stopped) \(iterations)), loss \(String(format: "%.4g", result.final.total))")
        return (result.image, nearest, result.final)
    }

    /// `base` moved `share` of the way toward `target` where `mask` (one value per pixel) is 1.
    static func blend(_ base: Tensor, toward target: Tensor, mask: [Float], share: Float) -> Tensor {
        var out = base
        let plane = mask.count
        out.withUnsafeMutableBufferPointer { o in target.withUnsafeBufferPointer { t in
            for index in 0..<o.count {
                let a = share * mask[index % plane]
                o[index] += a * (t[index] - o[index])
            }
        } }
        return out
    }

    /// What is sent: the raw render, or its luminance over the content's colours when asked.
    static func shown(_ image: Tensor, content: RGBImage, options: GatysVideoOptions) -> RGBImage {
        RGBImage(tensor: options.originalColors == .luminance ? ColorTransfer.luminanceOnly(styled: image, content: content.tensor) : image)
    }

    /// The start of a frame that is not warm-started; nil means its content.
    private static func startImage(_ start: GatysParameters.Start, width: Int, height: Int) throws -> Tensor? {
        switch start {
        case .content: return nil
        case .noise(let seed): return GatysImage.noise(width: width, height: height, seed: seed)
        case .image(let path):
            let picture: RGBImage
            do { picture = try ImageIO.load(path: path) } catch { throw WorkerError.badTask("init \(path): \(error)") }
            return GatysImage.resized(picture.tensor, width: width, height: height)
        }
    }

    /// The VGG-16 weights from the models folder, read once per process (about 60 MB).
    static func defaultWeights() throws -> VGGWeights {
        weightsLock.lock()
        defer { weightsLock.unlock() }
        if let cachedWeights { return cachedWeights }
        let path = ModelStore.defaultWeightsPath()
        do {
            let loaded = try VGGWeights.load(path: path)
            cachedWeights = loaded
            return loaded
        } catch {
            throw WorkerError.badTask("VGG weights \(path): \(error) (run `vst models fetch`)")
        }
    }

    private static let weightsLock = NSLock()
    nonisolated(unsafe) private static var cachedWeights: VGGWeights?
}
