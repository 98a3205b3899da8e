import Testing
@testable import Engine

/// Gram, content, style and total-variation losses against direct Double formulas, and their
/// gradients against central finite differences.
@Suite struct LossTests {
    static func naiveGram(_ f: [Float], _ c: Int, _ p: Int) -> [Double] {
        var g = [Double](repeating: 0, count: c * c)
        for i in 0..<c { for j in 0..<c {
            var s = 0.0
            for k in 0..<p { s += Double(f[i * p + k]) * Double(f[j * p + k]) }
            g[i * c + j] = s / Double(p)
        } }
        return g
    }

    /// Central difference of `f` at coordinate i, in Double.
    static func numericGradient(_ x: [Float], _ i: Int, h: Float = 1e-2, _ f: ([Float]) -> Double) -> Double {
        var a = x, b = x
        a[i] += h; b[i] -= h
        return (f(a) - f(b)) / (2 * Double(h))
    }

    @Test func gramMatchesNaive() {
        var rng = SeededFloats(seed: 1)
        let (c, p) = (5, 13)
        let f = rng.array(c * p)
        let fast = Gram.compute(f, channels: c, pixels: p)
        for (a, b) in zip(fast, Self.naiveGram(f, c, p)) { #expect(abs(Double(a) - b) < 1e-5) }
    }

    @Test(arguments: LossNormalization.allCases)
    func contentLossValueAndGradient(normalization: LossNormalization) {
        var rng = SeededFloats(seed: 2)
        let f = rng.array(37), t = rng.array(37)
        let (loss, grad) = ContentLoss.evaluate(features: f, target: t, normalization: normalization)
        func direct(_ f: [Float]) -> Double {
            let s = zip(f, t).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            return normalization == .meanSquared ? s / 37 : s / 2
        }
        #expect(abs(loss - direct(f)) < 1e-6 * max(1, direct(f)))
        for i in [0, 7, 36] {
            #expect(abs(Double(grad[i]) - Self.numericGradient(f, i, direct)) < 1e-3)
        }
    }

    @Test(arguments: LossNormalization.allCases)
    func styleLossValueAndGradient(normalization: LossNormalization) {
        var rng = SeededFloats(seed: 3)
        let (c, p) = (4, 11)
        let f = rng.array(c * p), s = rng.array(c * 17)
        let target = Gram.compute(s, channels: c, pixels: 17)
        let (loss, grad) = StyleLoss.evaluate(features: f, channels: c, pixels: p, targetGram: target, normalization: normalization)
        func direct(_ f: [Float]) -> Double {
            let g = Self.naiveGram(f, c, p)
            let sum = zip(g, target).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
            return normalization == .meanSquared ? sum / Double(c * c) : sum / Double(4 * c * c)
        }
        #expect(abs(loss - direct(f)) < 1e-5 * max(1e-3, direct(f)))
        for i in [0, 5, 19, c * p - 1] {
            let numeric = Self.numericGradient(f, i, h: 1e-2, direct)
            #expect(abs(Double(grad[i]) - numeric) < 1e-3 * max(1, abs(numeric)), "coordinate \(i)")
        }
    }

    @Test func gatysNormalizationIsThePapersFormula() {
        // E = 1/(4 N^2 M^2) sum (F F^T - M A)^2 with unnormalised Gram matrices (Gatys et al. eq. 4).
        var rng = SeededFloats(seed: 4)
        let (n, m) = (3, 9)
        let f = rng.array(n * m)
        let a = Gram.compute(rng.array(n * m), channels: n, pixels: m)
        let (loss, _) = StyleLoss.evaluate(features: f, channels: n, pixels: m, targetGram: a, normalization: .gatys)
        let g = Self.naiveGram(f, n, m).map { $0 * Double(m) }
        let e = zip(g, a).reduce(0.0) { $0 + pow2($1.0 - Double(m) * Double($1.1)) } / Double(4 * n * n * m * m)
        #expect(abs(loss - e) < 1e-6 * max(1, e))
    }

    @Test func totalVariationValueAndGradient() {
        var rng = SeededFloats(seed: 5)
        let (c, h, w) = (2, 5, 7)
        let x = rng.array(c * h * w)
        let (loss, grad) = TotalVariationLoss.evaluate(image: x, channels: c, height: h, width: w)
        func direct(_ x: [Float]) -> Double {
            var s = 0.0
            for ch in 0..<c { for y in 0..<h { for xx in 0..<w {
                let i = ch * h * w + y * w + xx
                if xx + 1 < w { s += pow2(Double(x[i + 1]) - Double(x[i])) }
                if y + 1 < h { s += pow2(Double(x[i + w]) - Double(x[i])) }
            } } }
            return s / Double(c * h * w)
        }
        #expect(abs(loss - direct(x)) < 1e-6)
        for i in [0, 8, 35, 69] { #expect(abs(Double(grad[i]) - Self.numericGradient(x, i, direct)) < 1e-3) }
    }
}

func pow2(_ x: Double) -> Double { x * x }
