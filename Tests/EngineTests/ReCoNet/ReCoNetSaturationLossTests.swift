import Testing
@testable import Engine

/// The penalty on values beyond tanh's working range: a plain loop, central finite differences,
/// nothing inside the range, and the trainer pulling a saturated network back by it alone.
@Suite struct ReCoNetSaturationLossTests {
    @Test func matchesAPlainLoopAndFiniteDifferences() {
        var rng = SplitMix64(seed: 71)
        // Away from the kinks at +-2.5, where a central difference straddles two pieces.
        let y = Tensor.random([2, 3, 4, 5], in: -6...6, using: &rng).map { abs(abs($0) - 2.5) < 0.05 ? $0 + 0.2 : $0 }
        let (loss, gradient) = ReCoNetSaturationLoss.evaluate(y)
        var plain = 0.0
        for v in y.scalars where abs(Double(v)) > 2.5 { plain += (abs(Double(v)) - 2.5) * (abs(Double(v)) - 2.5) }
        plain /= Double(y.count)
        #expect(abs(loss - plain) < 1e-6 * plain)
        #expect(loss > 0)

        var numeric = Tensor(shape: y.shape), probe = y
        let h: Float = 1e-2
        for i in 0..<y.count {
            probe[i] = y[i] + h; let plus = ReCoNetSaturationLoss.evaluate(probe).loss
            probe[i] = y[i] - h; let minus = ReCoNetSaturationLoss.evaluate(probe).loss
            probe[i] = y[i]
            numeric[i] = Float((plus - minus) / Double(2 * h))
        }
        #expect(gradient.relativeError(to: numeric) < 1e-3)
    }

    @Test func inTheWorkingRangeItIsZero() {
        var rng = SplitMix64(seed: 72)
        let y = Tensor.random([1, 3, 6, 6], in: -2.5...2.5, using: &rng)
        let (loss, gradient) = ReCoNetSaturationLoss.evaluate(y)
        #expect(loss == 0)
        #expect(gradient.scalars.allSatisfy { $0 == 0 })
    }

    /// Every output black (the last convolution's biases at -8, tanh's slope ~5e-7): with every
    /// other term at zero, only the penalty's own gradient, added below the tanh, can move it.
    @Test func theTrainerPullsASaturatedNetworkBackByThePenaltyAlone() throws {
        var rng = SplitMix64(seed: 73)
        let net = ReCoNet(configuration: ReCoNetTests.tiny, using: &rng)
        var params = net.parameters
        params[params.count - 1] = Tensor(shape: params[params.count - 1].shape, repeating: -8)
        try net.load(params)
        var options = ReCoNetTrainer.Options()
        options.learningRate = 0.1
        (options.contentWeight, options.styleWeight, options.totalVariationWeight) = (0, 0, 0)
        (options.outputTemporalWeight, options.featureTemporalWeight, options.saturationWeight) = (0, 0, 1)
        let trainer = try ReCoNetTrainer(network: net, vggWeights: VGGWeights.random(.vgg16, seed: 3),
                                         style: ReCoNetTrainerTests.photo(seed: 99), options: options)
        let pair = SyntheticMotion().pair(from: ReCoNetTrainerTests.photo(seed: 5), size: 16, using: &rng)
        let before = trainer.losses(of: pair)
        for _ in 0..<20 { trainer.train(on: pair) }
        let after = trainer.losses(of: pair)
        #expect(before.saturation > 10)          // about (8 - 2.5)^2
        #expect(after.saturation < 0.5 * before.saturation)
    }
}
