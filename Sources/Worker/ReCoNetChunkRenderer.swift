import Engine
import Media
import Protocol

/// `reconet`: every frame of the chunk through a trained feed-forward network (Gao et al. 2018),
/// one forward pass each. The network was trained to be stable in time, so by default frames are
/// independent: nothing carries from one to the next, a resumed chunk simply goes on at its next
/// frame, and chunks need no overlap (the coordinator still stitches one if the job asks).
///
/// With `ReCoNetParameters.stabilize` each frame is blended with the previous output carried by
/// the flow between the input frames (`OutputStabilizer`), which costs two flows per frame. The
/// chain then does carry: a resumed chunk restarts it at its warm-start frame (the render it had
/// sent), so it goes on as if uninterrupted, and a chunk's first frames are the network's alone,
/// which is why submit gives such jobs an overlap to settle in before the chunk's own frames.
///
/// The model arrives once per job (`ModelReference`) and lives in the worker's `ModelCache`.
public struct ReCoNetChunkRenderer: FrameRenderer {
    let models: ModelCache

    public init(models: ModelCache) {
        self.models = models
    }

    public func render(_ chunk: ChunkInput, emit: (Int, RGBImage) throws -> Void) throws {
        guard let reference = chunk.spec.model else {
            throw WorkerError.badTask("method reconet needs a model (vst-coord submit --model FILE.reconet)")
        }
        guard min(chunk.spec.width, chunk.spec.height) >= ReCoNet.minimumSide else {
            throw WorkerError.badTask("reconet needs frames of at least \(ReCoNet.minimumSide)x\(ReCoNet.minimumSide), the task's are \(chunk.spec.width)x\(chunk.spec.height)")
        }
        if let bytes = chunk.model { try models.insert(bytes, as: reference) }
        var stabilizer = Self.stabilizer(chunk.spec.reconet)
        if let warm = chunk.warmStart, let first = chunk.frames.first {
            stabilizer?.start(input: first.pixels, output: warm.pixels, width: first.width, height: first.height)
        }
        try models.withNetwork(reference.sha256) { network in
            for i in chunk.framesToRender {
                let frame = chunk.frames[i]
                var pixels = network.stylize(packedRGB: frame.pixels, width: frame.width, height: frame.height)
                if stabilizer != nil {
                    do { pixels = try stabilizer!.next(input: frame.pixels, raw: pixels, width: frame.width, height: frame.height) } catch {
                        throw WorkerError.badTask("flow into frame \(chunk.frameIndex(i)): \(error)")
                    }
                }
                try emit(chunk.frameIndex(i), RGBImage(width: frame.width, height: frame.height, pixels: pixels))
            }
        }
    }

    /// The chunk's stabilizer, or nil when its frames are independent.
    static func stabilizer(_ parameters: ReCoNetParameters?) -> OutputStabilizer? {
        guard let parameters, let strength = parameters.stabilize else { return nil }
        let preset: FlowPreset = switch parameters.flow {
        case .fast: .fast
        case .balanced: .balanced
        case .accurate: .accurate
        }
        return OutputStabilizer(strength: strength, flow: DISFlow(preset: preset))
    }
}
