import Foundation
import Testing
@testable import Engine

/// Tiny training runs over random VGG-16 weights (the real file is not needed): the loss falls,
/// `--no-temporal` measures no temporal terms, and a checkpoint restores the optimiser.
@Suite struct ReCoNetTrainerTests {
    static func photo(seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        // Smooth blobs, so that the crops look like photos rather than noise.
        let (h, w) = (28, 28)
        let centres = (0..<4).map { _ in (Float.random(in: 0...28, using: &rng), Float.random(in: 0...28, using: &rng), Float.random(in: 40...220, using: &rng)) }
        var s: [Float] = []
        for c in 0..<3 { for y in 0..<h { for x in 0..<w {
            var v: Float = 30 * Float(c)
            for (cx, cy, a) in centres {
                let dx: Float = Float(x) - cx, dy: Float = Float(y) - cy
                let d2: Float = dx * dx + dy * dy
                v += a * Foundation.exp(-d2 / 40)
            }
            s.append(min(255, v))
        } } }
        return Tensor(shape: [1, 3, h, w], scalars: s)
    }

    static func trainer(temporal: Bool) throws -> ReCoNetTrainer {
        var rng = SplitMix64(seed: 61)
        let net = ReCoNet(configuration: ReCoNetTests.tiny, using: &rng)
        var options = ReCoNetTrainer.Options()
        options.learningRate = 1e-2
        if !temporal { options.outputTemporalWeight = 0; options.featureTemporalWeight = 0 }
        return try ReCoNetTrainer(network: net, vggWeights: VGGWeights.random(.vgg16, seed: 3), style: photo(seed: 99), options: options)
    }

    @Test func tinyRunLowersTheLoss() throws {
        let trainer = try Self.trainer(temporal: true)
        var rng = SplitMix64(seed: 62)
        let pair = SyntheticMotion().pair(from: Self.photo(seed: 5), size: 16, using: &rng)
        let before = trainer.losses(of: pair)
        for _ in 0..<25 { trainer.train(on: pair) }
        let after = trainer.losses(of: pair)
        #expect(before.total.isFinite && after.total.isFinite)
        #expect(after.total < 0.8 * before.total)
        #expect(before.outputTemporal > 0 && before.featureTemporal > 0)
        #expect(trainer.step == 25)
    }

    @Test func noTemporalMeasuresNoTemporalTerms() throws {
        let trainer = try Self.trainer(temporal: false)
        var rng = SplitMix64(seed: 63)
        let l = trainer.train(on: SyntheticMotion().pair(from: Self.photo(seed: 6), size: 16, using: &rng))
        #expect(l.outputTemporal == 0 && l.featureTemporal == 0 && l.content > 0 && l.style > 0)
    }

    @Test func checkpointRestoresTheRun() throws {
        let a = try Self.trainer(temporal: true)
        var rng = SplitMix64(seed: 64)
        let pairs = (0..<4).map { _ in SyntheticMotion().pair(from: Self.photo(seed: 7), size: 16, using: &rng) }
        for p in pairs.prefix(2) { a.train(on: p) }
        let file = try StyleModelFile(decoding: a.checkpoint(styleName: "blobs", settings: [:]).encoded())
        let b = try ReCoNetTrainer(network: try file.makeNetwork(), vggWeights: VGGWeights.random(.vgg16, seed: 3),
                                   style: Self.photo(seed: 99), options: a.options)
        try b.restore(from: file)
        #expect(b.step == 2)
        for p in pairs.suffix(2) { a.train(on: p); b.train(on: p) }
        #expect(a.network.parameters == b.network.parameters)
    }

    /// A shipped model has no optimiser state: going on from it keeps the step and normalisers
    /// and restarts Adam, whose first update then moves its largest weight by the learning rate,
    /// as a fresh run's first update does (with the run's step driving the bias correction
    /// instead, zero moments would make that 0.55x here, after 5 steps, and 3x after thousands).
    @Test func aModelWithoutOptimiserStateGoesOnWithAFreshAdam() throws {
        let a = try Self.trainer(temporal: true)
        var rng = SplitMix64(seed: 65)
        let pairs = (0..<6).map { _ in SyntheticMotion().pair(from: Self.photo(seed: 8), size: 16, using: &rng) }
        for p in pairs.prefix(5) { a.train(on: p) }
        let model = try StyleModelFile(decoding: a.checkpoint(styleName: "blobs", settings: [:]).withoutOptimizerState().encoded())
        let b = try ReCoNetTrainer(network: try model.makeNetwork(), vggWeights: VGGWeights.random(.vgg16, seed: 3),
                                   style: Self.photo(seed: 99), options: a.options)
        try b.restore(from: model)
        #expect(b.step == 5)
        #expect(b.contentNormalizer == a.contentNormalizer && b.styleNormalizer == a.styleNormalizer)
        let before = b.network.parameters
        b.train(on: pairs[5])
        #expect(b.step == 6)
        let rate = Float(a.options.learningRate)
        let largest = zip(before, b.network.parameters).map { x, y in
            zip(x.scalars, y.scalars).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        }.max()!
        #expect(largest > 0.9 * rate && largest <= rate * 1.001, "largest move \(largest) for learning rate \(rate)")
        // Its checkpoint records the restart, so a resumed run corrects the moments alike.
        let file = b.checkpoint(styleName: "blobs", settings: [:])
        #expect(file.metadata.training["adamSteps"] == "1" && file.metadata.step == 6)
    }
}
