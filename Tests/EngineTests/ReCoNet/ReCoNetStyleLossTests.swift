import Testing
@testable import Engine

/// The trainer's style term over several layers: each layer's share equals its weight times its
/// normalised Gram loss (a plain Double loop says what that is), and the gradient matches central
/// finite differences.
@Suite struct ReCoNetStyleLossTests {
    /// Two layers of different widths and magnitudes, as VGG's shallow and deep layers are.
    static let shapes: [(name: String, channels: Int, side: Int, magnitude: Float)] = [("shallow", 3, 4, 0.5), ("deep", 5, 2, 20)]

    static func features(frames: Int, seed: UInt64) -> [String: Tensor] {
        var rng = SplitMix64(seed: seed)
        var out: [String: Tensor] = [:]
        for s in shapes {
            out[s.name] = Tensor.random([frames, s.channels, s.side, s.side], in: 0...s.magnitude, using: &rng)
        }
        return out
    }

    /// mean over entries of (G - A)^2, G = F F^T / pixels, in Double.
    static func naiveGramLoss(_ f: [Float], _ target: [Double], channels c: Int, pixels p: Int) -> Double {
        var sum = 0.0
        for i in 0..<c { for j in 0..<c {
            var g = 0.0
            for k in 0..<p { g += Double(f[i * p + k]) * Double(f[j * p + k]) }
            let d = g / Double(p) - target[i * c + j]
            sum += d * d
        } }
        return sum / Double(c * c)
    }

    static func naiveGram(_ f: [Float], channels c: Int, pixels p: Int) -> [Double] {
        var g = [Double](repeating: 0, count: c * c)
        for i in 0..<c { for j in 0..<c { for k in 0..<p { g[i * c + j] += Double(f[i * p + k]) * Double(f[j * p + k]) / Double(p) } } }
        return g
    }

    /// Each layer's share, by the definition: weight x mean over frames of its Gram loss / N_l.
    static func reference(_ features: [String: Tensor], style: [String: Tensor], weights: [Double],
                          normalization: StyleLayerNormalization) -> [String: Double] {
        var out: [String: Double] = [:]
        for (s, w) in zip(shapes, weights) {
            let pixels = s.side * s.side, plane = s.channels * pixels
            let target = naiveGram(style[s.name]!.scalars, channels: s.channels, pixels: pixels)
            let n = normalization == .none ? 1 : target.reduce(0) { $0 + $1 * $1 } / Double(target.count)
            let x = features[s.name]!, frames = x.shape[0]
            var sum = 0.0
            for b in 0..<frames { sum += naiveGramLoss(Array(x.scalars[(b * plane)..<((b + 1) * plane)]), target, channels: s.channels, pixels: pixels) }
            out[s.name] = w * sum / Double(frames) / n
        }
        return out
    }

    @Test(arguments: StyleLayerNormalization.allCases)
    func eachLayerContributesItsWeightTimesItsNormalisedLoss(normalization: StyleLayerNormalization) {
        let style = Self.features(frames: 1, seed: 11), x = Self.features(frames: 2, seed: 12)
        let weights = [0.25, 3.0]
        let loss = ReCoNetStyleLoss(styleFeatures: style, layers: Self.shapes.map(\.name), weights: weights, normalization: normalization)
        let result = loss.evaluate(x)
        let expected = Self.reference(x, style: style, weights: weights, normalization: normalization)
        for s in Self.shapes {
            let got = result.contributions[s.name]!, want = expected[s.name]!
            #expect(abs(got - want) <= 1e-4 * want, "\(s.name): \(got) vs \(want)")
        }
        #expect(abs(result.total - expected.values.reduce(0, +)) <= 1e-4 * result.total)
    }

    /// The point of the normalisation: raw, the deep layer's loss swamps the shallow one's by
    /// orders of magnitude; normalised by the style's Gram, equal weights give shares of one
    /// order (both outputs are as unlike their style as each other: independent draws).
    @Test func normalisationBringsTheLayersToOneScale() {
        let style = Self.features(frames: 1, seed: 21), x = Self.features(frames: 1, seed: 22)
        func shares(_ mode: StyleLayerNormalization) -> Double {
            let c = ReCoNetStyleLoss(styleFeatures: style, layers: Self.shapes.map(\.name), weights: [1, 1], normalization: mode)
                .evaluate(x).contributions
            return c["shallow"]! / c["deep"]!
        }
        #expect(shares(.none) < 1e-4)
        #expect(shares(.styleGram) > 0.1 && shares(.styleGram) < 10)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let style = Self.features(frames: 1, seed: 31), x = Self.features(frames: 2, seed: 32)
        let loss = ReCoNetStyleLoss(styleFeatures: style, layers: Self.shapes.map(\.name), weights: [0.5, 2], normalization: .styleGram)
        let scale: Float = 3
        let analytic = loss.evaluate(x, gradientScale: scale).gradients
        for s in Self.shapes {
            let t = x[s.name]!
            let h: Float = 1e-2 * s.magnitude
            for i in stride(from: 0, to: t.count, by: max(1, t.count / 7)) {
                var plus = x, minus = x
                plus[s.name]![i] += h
                minus[s.name]![i] -= h
                let numeric = Double(scale) * (loss.evaluate(plus).total - loss.evaluate(minus).total) / (2 * Double(h))
                let got = Double(analytic[s.name]![i])
                #expect(abs(got - numeric) <= Tolerance.gradient * 10 * max(abs(numeric), 1e-3), "\(s.name)[\(i)]: \(got) vs \(numeric)")
            }
        }
    }
}
