import Testing
@testable import Engine

@Suite struct TemporalLossTests {
    /// Odd shape, random image, target and a mask with zeros, ones and fractions.
    static func randomCase(seed: UInt64) -> (image: Tensor, loss: TemporalLoss) {
        var rng = SplitMix64(seed: seed)
        let (c, h, w) = (3, 5, 7)
        let image = Tensor.random([1, c, h, w], in: 0...255, using: &rng)
        let target = Tensor.random([1, c, h, w], in: 0...255, using: &rng)
        let mask = (0..<(h * w)).map { i in i % 3 == 0 ? 0 : Float.random(in: 0...1, using: &rng) }
        return (image, TemporalLoss(target: target, mask: mask, weight: 3.5))
    }

    @Test func valueMatchesTheFormulaInDouble() {
        let (x, loss) = Self.randomCase(seed: 21)
        var g = Tensor(shape: x.shape)
        let value = loss.evaluate(x, gradient: &g)
        let plane = loss.mask.count
        var reference = 0.0
        for i in 0..<x.count {
            let d = Double(x[i]) - Double(loss.target[i])
            reference += Double(loss.mask[i % plane]) * d * d
        }
        reference *= loss.weight / Double(x.count)
        #expect(abs(value - reference) <= 1e-5 * abs(reference))
    }

    @Test func gradientMatchesCentralDifferencesAndAccumulates() {
        let (x, loss) = Self.randomCase(seed: 5)
        var g = Tensor(shape: x.shape, repeating: 1)   // the hook adds into what is there
        _ = loss.evaluate(x, gradient: &g)
        var probe = x
        for i in stride(from: 0, to: x.count, by: 4) {
            let step: Float = 0.5
            var scratch = Tensor(shape: x.shape)
            probe[i] = x[i] + step
            let plus = loss.evaluate(probe, gradient: &scratch)
            probe[i] = x[i] - step
            let minus = loss.evaluate(probe, gradient: &scratch)
            probe[i] = x[i]
            let numeric = (plus - minus) / (2 * Double(step))
            #expect(abs(Double(g[i]) - 1 - numeric) <= 1e-3 * max(1, abs(numeric)))
        }
    }

    @Test func masksOutUnreliablePixels() {
        let target = Tensor(shape: [1, 3, 2, 2], repeating: 10)
        let loss = TemporalLoss(target: target, mask: [1, 0, 0, 0], weight: 1)
        var image = target
        for c in 0..<3 { image[c * 4 + 1] = 200; image[c * 4 + 3] = 0 }   // only masked pixels differ
        var g = Tensor(shape: target.shape)
        #expect(loss.evaluate(image, gradient: &g) == 0)
        #expect(g.scalars.allSatisfy { $0 == 0 })
    }
}
