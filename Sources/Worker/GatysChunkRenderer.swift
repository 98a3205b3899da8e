import Engine
import Foundation
import Media

/// `gatys`: a chunk styled by Gatys optimisation frame after frame, coherent in time as in
/// Ruder, Dosovitskiy, Brox 2016. The chunk's first frame starts from its `start` (the content
/// by default); every later frame starts from the previous output carried onto it by the
/// optical flow between the two input frames, and is held there by the short-term temporal
/// loss wherever the flow is reliable (forward-backward check, motion boundaries). A resumed
/// chunk continues from its warm-start frame exactly as if it had rendered it itself.
///
/// The settings come from the TASK's parameters (`GatysVideoOptions`); the style targets are
/// computed once per chunk, the flows once per frame pair from the input frames the TASK carries.
public struct GatysChunkRenderer: FrameRenderer {
    /// The VGG weights to use; nil loads `ModelStore.defaultWeightsPath()` once per process.
    let weights: VGGWeights?
    /// Called after every frame with its absolute index and the loss terms, for tests and logs.
    let observer: (@Sendable (_ frame: Int, _ warmStarted: Bool, _ losses: GatysRenderer.Losses) -> Void)?

    public init(weights: VGGWeights? = nil, observer: (@Sendable (Int, Bool, GatysRenderer.Losses) -> Void)? = nil) {
        self.weights = weights
        self.observer = observer
    }

    public func render(_ chunk: ChunkInput, emit: (Int, RGBImage) throws -> Void) throws {
        guard let first = chunk.frames.first else { return }
        let options = try GatysVideoOptions(parameters: chunk.spec.parameters)
        guard !chunk.styles.isEmpty else { throw WorkerError.badTask("method gatys needs at least one style image") }
        let vgg = try weights ?? Self.defaultWeights()
        let (width, height) = (first.width, first.height)

        // Styles at `styleScale` times the frame width, recoloured toward the chunk's first frame
        // when asked (a per-chunk choice: chunks of one shot see nearly the same colours).
        let styleWidth = max(16, Int((Double(width) * options.styleScale).rounded()))
        var styles = chunk.styles.map { GatysStill.resized($0.tensor, toWidth: styleWidth) }
        if options.originalColors == .histogram {
            styles = styles.map { ColorTransfer.matchingColorStatistics(of: $0, to: first.tensor) }
        }
        let blend = chunk.spec.styleWeights.count == styles.count ? chunk.spec.styleWeights : Array(repeating: 1, count: styles.count)
        let renderer: GatysRenderer
        do {
            renderer = try GatysRenderer(weights: vgg, options: options.gatys,
                                         styles: zip(styles, blend).map { .init(image: $0, weight: $1) })
        } catch {
            throw WorkerError.badTask("\(error)")
        }
        let flow = DISFlow(preset: options.flowPreset)
        let startImage = try Self.startImage(options.start, width: width, height: height)

        // The raw optimiser output of the frame before (before any colour transfer): what the
        // next frame is warm-started from and held to.
        var previous: Tensor? = chunk.warmStart.map(\.tensor)
        for i in chunk.framesToRender {
            let content = chunk.frames[i].tensor
            var initial: Tensor
            var extraLoss: GatysRenderer.ExtraLoss?
            // A chunk's first frame gets `iterations`, every later one `iterationsNext`, warm-started
            // or not, so that per-frame rendering with the same options spends the same effort.
            let iterations = i == 0 ? options.iterations : options.iterationsNext
            let warm = options.warmStarts && i > 0 && previous != nil
            if warm, let previous {
                let motion: FrameMotion
                do { motion = try FrameMotion(previous: chunk.frames[i - 1].planar, current: chunk.frames[i].planar, flow: flow) } catch {
                    throw WorkerError.badTask("flow between frames \(chunk.frameIndex(i - 1)) and \(chunk.frameIndex(i)): \(error)")
                }
                initial = motion.carry(PlanarImage(tensor: previous)).tensor
                if options.temporalWeight > 0 {
                    let loss = TemporalLoss(target: initial, mask: motion.reliability.data, weight: options.temporalWeight)
                    extraLoss = { x, g in loss.evaluate(x, gradient: &g) }
                }
            } else {
                initial = startImage ?? content
            }
            let result: GatysRenderer.Result
            do { result = try renderer.render(content: content, initial: initial, iterations: iterations, extraLoss: extraLoss) } catch {
                throw WorkerError.badTask("\(error)")
            }
            previous = result.image
            observer?(chunk.frameIndex(i), warm, result.final)
            let shown = options.originalColors == .luminance ? ColorTransfer.luminanceOnly(styled: result.image, content: content) : result.image
            try emit(chunk.frameIndex(i), RGBImage(tensor: shown))
        }
    }

    /// The start of a frame that is not warm-started; nil means its content.
    private static func startImage(_ start: GatysVideoOptions.Start, width: Int, height: Int) throws -> Tensor? {
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
