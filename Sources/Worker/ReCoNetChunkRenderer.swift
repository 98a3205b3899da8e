import Engine
import Media

/// `reconet`: every frame of the chunk through a trained feed-forward network (Gao et al. 2018),
/// one forward pass each. The network was trained to be stable in time, so frames are
/// independent: nothing carries from one to the next, a resumed chunk simply goes on at its next
/// frame, and chunks need no overlap (the coordinator still stitches one if the job asks).
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
        try models.withNetwork(reference.sha256) { network in
            for i in chunk.framesToRender {
                let frame = chunk.frames[i]
                let pixels = network.stylize(packedRGB: frame.pixels, width: frame.width, height: frame.height)
                try emit(chunk.frameIndex(i), RGBImage(width: frame.width, height: frame.height, pixels: pixels))
            }
        }
    }
}
