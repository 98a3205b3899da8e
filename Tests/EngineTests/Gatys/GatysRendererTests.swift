import Testing
@testable import Engine

@Suite struct GatysRendererTests {
    static let tiny = VGGNetworkTests.tiny

    static func options(tv: Double = 0, normalization: LossNormalization = .meanSquared) -> GatysOptions {
        var o = GatysOptions()
        o.contentLayers = ["relu2_1"]
        o.styleLayers = ["relu1_1", "relu2_1", "relu2_2"]
        o.styleWeight = 1e-2
        o.totalVariationWeight = tv
        o.normalization = normalization
        return o
    }

    static func picture(_ w: Int, _ h: Int, seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        return Tensor.random([1, 3, h, w], in: 0...255, using: &rng)
    }

    /// The renderer's gradient of the total loss (content, style, TV and an extra hook, through
    /// VGG backward and the RGB/BGR map) against central differences of the total loss.
    @Test(arguments: LossNormalization.allCases)
    func gradientOfEveryLossMatchesFiniteDifferences(normalization: LossNormalization) throws {
        let weights = VGGNetworkTests.randomWeights(Self.tiny, seed: 31)
        let style = Self.picture(9, 7, seed: 1), content = Self.picture(6, 5, seed: 2)
        let renderer = try GatysRenderer(weights: weights, options: Self.options(tv: 0.3, normalization: normalization),
                                         styles: [.init(image: style)])
        let targets = renderer.network.forward(GatysImage.toCaffe(content), capture: ["relu2_1"])
        // Extra term: 0.01 * sum over the red plane of (x - 100)^2, on RGB values.
        let hook: GatysRenderer.ExtraLoss = { image, gradient in
            var s = 0.0
            for i in 0..<30 { let d = image[i] - 100; s += 0.01 * Double(d * d); gradient[i] += 0.02 * d }
            return s
        }
        let x = GatysImage.toCaffe(Self.picture(6, 5, seed: 3))
        let (losses, analytic) = renderer.evaluate(x, contentTargets: targets, extraLoss: hook)
        #expect(losses.content > 0 && losses.style > 0 && losses.totalVariation > 0 && losses.extra > 0)
        var numeric = Tensor(shape: x.shape)
        let h: Float = 0.05
        for i in 0..<x.count {
            var p = x, m = x
            p[i] += h; m[i] -= h
            let fp = renderer.evaluate(p, contentTargets: targets, extraLoss: hook).0.total
            let fm = renderer.evaluate(m, contentTargets: targets, extraLoss: hook).0.total
            numeric[i] = Float((fp - fm) / Double(2 * h))
        }
        #expect(analytic.relativeError(to: numeric) < 2e-2)
    }

    @Test func blendedTargetsAreTheWeightedMeanOfGramMatrices() throws {
        let weights = VGGNetworkTests.randomWeights(Self.tiny, seed: 32)
        let a = Self.picture(8, 6, seed: 4), b = Self.picture(7, 9, seed: 5)
        let o = Self.options()
        let ra = try GatysRenderer(weights: weights, options: o, styles: [.init(image: a)])
        let rb = try GatysRenderer(weights: weights, options: o, styles: [.init(image: b)])
        let mix = try GatysRenderer(weights: weights, options: o, styles: [.init(image: a, weight: 3), .init(image: b, weight: 1)])
        for name in o.styleLayers {
            let expected = zip(ra.styleTargets[name]!, rb.styleTargets[name]!).map { 0.75 * $0 + 0.25 * $1 }
            #expect(zip(mix.styleTargets[name]!, expected).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
        }
        #expect(throws: GatysError.noStyle) { try GatysRenderer(weights: weights, options: o, styles: []) }
        #expect(throws: GatysError.badStyleWeights) { try GatysRenderer(weights: weights, options: o, styles: [.init(image: a, weight: 0)]) }
    }

    @Test(arguments: [GatysOptions.Optimizer.lbfgs(historySize: 5), .adam(learningRate: 2)])
    func renderLowersTheLossAndReportsProgress(optimizer: GatysOptions.Optimizer) throws {
        let weights = VGGNetworkTests.randomWeights(Self.tiny, seed: 33)
        var o = Self.options(tv: 0.01)
        o.optimizer = optimizer
        let renderer = try GatysRenderer(weights: weights, options: o, styles: [.init(image: Self.picture(10, 8, seed: 6))])
        var seen: [Int] = []
        let content = Self.picture(8, 6, seed: 7)
        let r = try renderer.render(content: content, initial: GatysImage.noise(width: 8, height: 6, seed: 9), iterations: 20, progress: { i, _ in
            seen.append(i); return true
        })
        #expect(seen == Array(1...r.iterations) && r.iterations > 0)
        #expect(r.final.total < 0.5 * r.initial.total)
        #expect(r.image.shape == [1, 3, 6, 8])
        #expect(throws: GatysError.imageTooSmall(width: 8, height: 1, minimum: 2)) {
            try renderer.render(content: Self.picture(8, 1, seed: 1), iterations: 1)
        }
        #expect(throws: GatysError.initialShapeMismatch(content: [1, 3, 6, 8], initial: [1, 3, 5, 8])) {
            try renderer.render(content: content, initial: Self.picture(8, 5, seed: 1), iterations: 1)
        }
    }

    /// A hook pulls the red plane towards 400, past what a picture holds: the optimum of the
    /// unbounded variable lies outside 0...255. The render must still report the losses of the
    /// picture it returns, which holds in 0...255, and the red plane must reach the bound.
    @Test(arguments: [GatysOptions.Optimizer.lbfgs(historySize: 5), .adam(learningRate: 20)])
    func reportedLossesAreThoseOfTheDeliveredPicture(optimizer: GatysOptions.Optimizer) throws {
        let weights = VGGNetworkTests.randomWeights(Self.tiny, seed: 35)
        var o = Self.options()
        o.optimizer = optimizer
        let renderer = try GatysRenderer(weights: weights, options: o, styles: [.init(image: Self.picture(10, 8, seed: 8))])
        let content = Self.picture(8, 6, seed: 9)
        let plane = 8 * 6
        let hook: GatysRenderer.ExtraLoss = { image, gradient in
            var s = 0.0
            for i in 0..<plane { let d = image[i] - 400; s += 0.1 * Double(d * d); gradient[i] += 0.2 * d }
            return s
        }
        let r = try renderer.render(content: content, iterations: 40, extraLoss: hook)
        let red = r.image.scalars[0..<plane]
        #expect(red.filter { $0 >= 254.9 }.count >= plane / 4)
        let targets = renderer.network.forward(GatysImage.toCaffe(content), capture: Set(o.contentLayers))
        let delivered = renderer.evaluate(GatysImage.toCaffe(r.image), contentTargets: targets, extraLoss: hook).0
        #expect(abs(delivered.total - r.final.total) <= 1e-3 * r.final.total)
        #expect(r.final.total < r.initial.total)
    }
}

@Suite struct GatysStillTests {
    @Test func resizesScalesRecoloursAndChecksItsInput() throws {
        let weights = VGGNetworkTests.randomWeights(GatysRendererTests.tiny, seed: 34)
        var still = GatysStill(content: GatysRendererTests.picture(20, 10, seed: 1),
                               styles: [GatysRendererTests.picture(9, 9, seed: 2), GatysRendererTests.picture(12, 7, seed: 3)])
        still.options = GatysRendererTests.options()
        still.width = 12
        still.styleScale = 1.5
        still.iterations = 3
        still.styleBlendWeights = [2, 1]
        for colours in [nil, ColorTransfer.Mode.luminance, .histogram] {
            still.originalColors = colours
            still.initial = colours == nil ? .noise(seed: 4) : .image(GatysRendererTests.picture(5, 5, seed: 5))
            let r = try still.render(weights: weights)
            #expect(r.image.shape == [1, 3, 6, 12])
            #expect(r.final.total <= r.initial.total)
        }
        still.styleBlendWeights = [1]
        #expect(throws: GatysError.blendWeightCount(styles: 2, weights: 1)) { try still.render(weights: weights) }
        still.styleBlendWeights = nil
        still.styleScale = 0
        #expect(throws: GatysError.badStyleScale(0)) { try still.render(weights: weights) }
    }
}
