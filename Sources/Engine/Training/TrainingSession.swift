import Foundation

/// A whole training run: draws pairs, steps the trainer, reports each step's losses, writes a
/// checkpoint (full state) and the model (weights only) every `checkpointEvery` steps and at the
/// end, and resumes from a checkpoint. `vst train` parses options into one of these and calls `run`.
public struct TrainingSession {
    /// Where training pairs come from: still photos moved by `SyntheticMotion`, and consecutive
    /// video frames with their estimated flow and mask, drawn in proportion to their counts.
    public struct Data: Sendable {
        /// RGB 0...255 `[1, 3, h, w]` photos, each side at least the training size.
        public var photos: [Tensor]
        /// Ready-made pairs (video frames), at the training size.
        public var pairs: [TrainingPair]
        public var motion = SyntheticMotion()

        public init(photos: [Tensor], pairs: [TrainingPair] = []) {
            self.photos = photos
            self.pairs = pairs
        }

        public var isEmpty: Bool { photos.isEmpty && pairs.isEmpty }

        /// A random pair of `size` x `size` frames.
        public func draw<G: RandomNumberGenerator>(size: Int, using rng: inout G) -> TrainingPair {
            precondition(!isEmpty, "TrainingSession.Data: nothing to draw from")
            let k = Int.random(in: 0..<(photos.count + pairs.count), using: &rng)
            if k < photos.count { return motion.pair(from: photos[k], size: size, using: &rng) }
            return pairs[k - photos.count]
        }
    }

    public struct Progress: Sendable {
        public var step: Int
        public var steps: Int
        public var losses: ReCoNetTrainer.Losses
        /// Seconds this step took.
        public var seconds: Double
        /// Set on steps that wrote a checkpoint.
        public var checkpointed: Bool
    }

    public let trainer: ReCoNetTrainer
    public var data: Data
    public var size: Int
    /// Total steps to reach (a resumed run continues up to this).
    public var steps: Int
    public var checkpointEvery: Int
    public var checkpointPath: String
    /// The shipped model (no optimiser state); nil writes none.
    public var modelPath: String?
    public var styleName: String
    /// Extra settings recorded in the files (data, sizes, the command line).
    public var settings: [String: String]
    public var random: TrainingRandom

    public init(trainer: ReCoNetTrainer, data: Data, size: Int, steps: Int, checkpointEvery: Int, checkpointPath: String,
                modelPath: String?, styleName: String, settings: [String: String], seed: UInt64) {
        self.trainer = trainer; self.data = data; self.size = size; self.steps = steps
        self.checkpointEvery = checkpointEvery; self.checkpointPath = checkpointPath; self.modelPath = modelPath
        self.styleName = styleName; self.settings = settings; random = TrainingRandom(seed: seed)
    }

    /// Restores the trainer's optimiser and normalisers and the pair generator from a checkpoint
    /// whose weights are already in `trainer.network`.
    public mutating func resume(from file: StyleModelFile) throws(StyleModelFileError) {
        try trainer.restore(from: file)
        if let s = file.metadata.training["randomState"].flatMap(UInt64.init) { random.state = s }
    }

    /// Sets the trainer's normalisers to `reference`'s losses on the batch the first step will
    /// draw (`ReCoNetTrainer.normalize(as:on:)`): with `reference` the random network a run from
    /// scratch would start from, a run from trained weights weighs its terms as that run does.
    public func normalize(as reference: ReCoNet) {
        var first = random
        trainer.normalize(as: reference, on: data.draw(size: size, using: &first))
    }

    /// Writes the checkpoint and, when asked, the model.
    public func save() throws(StyleModelFileError) {
        var extra = settings
        extra["randomState"] = "\(random.state)"
        extra["size"] = "\(size)"
        let file = trainer.checkpoint(styleName: styleName, settings: extra)
        try file.write(to: checkpointPath)
        if let modelPath {
            var model = file.withoutOptimizerState()
            model.metadata.training["randomState"] = nil
            try model.write(to: modelPath)
        }
    }

    /// Trains until `steps`; `progress` sees every step and may return false to stop early (the
    /// state is saved either way).
    public mutating func run(progress: (Progress) -> Bool) throws(StyleModelFileError) {
        while trainer.step < steps {
            let started = Date()
            let pair = data.draw(size: size, using: &random)
            let losses = trainer.train(on: pair)
            let due = trainer.step % checkpointEvery == 0 || trainer.step == steps
            if due { try save() }
            let keepGoing = progress(Progress(step: trainer.step, steps: steps, losses: losses,
                                              seconds: Date().timeIntervalSince(started), checkpointed: due))
            if !keepGoing {
                if !due { try save() }
                return
            }
        }
    }
}
