import Engine
import Foundation
import Testing

/// `TextureCrossFade`: the ends are the two renders, the detail of two unrelated textures keeps
/// its contrast half-way where a plain mix loses it, and every pixel matches a plain loop with
/// its own Gaussian blur.
@Suite struct TextureCrossFadeTests {
    static let (channels, height, width) = (3, 12, 17)

    static func noise(seed: UInt64, scale: Float) -> Tensor {
        var rng = SplitMix64(seed: seed)
        let n = channels * height * width
        return Tensor(shape: [1, channels, height, width], scalars: (0..<n).map { _ in Float(rng.next() % 1000) / 1000 * scale })
    }

    /// A separable Gaussian with replicated borders, written the plain way.
    static func blurred(_ x: [Float], sigma: Float) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        let k = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * Double(sigma * sigma)))) }
        let total = k.reduce(0, +)
        var rows = x, out = x
        for c in 0..<channels { for y in 0..<height { for xx in 0..<width {
            var acc: Float = 0
            for (i, kv) in k.enumerated() { acc += kv * x[(c * height + y) * width + min(max(xx + i - radius, 0), width - 1)] }
            rows[(c * height + y) * width + xx] = acc / total
        } } }
        for c in 0..<channels { for y in 0..<height { for xx in 0..<width {
            var acc: Float = 0
            for (i, kv) in k.enumerated() { acc += kv * rows[(c * height + min(max(y + i - radius, 0), height - 1)) * width + xx] }
            out[(c * height + y) * width + xx] = acc / total
        } } }
        return out
    }

    @Test func matchesAPlainLoopOnRandomInput() {
        let a = Self.noise(seed: 1, scale: 255), b = Self.noise(seed: 2, scale: 255)
        var rng = SplitMix64(seed: 3)
        let weight = (0..<(Self.height * Self.width)).map { _ in Float(rng.next() % 101) / 100 }
        let sigma: Float = 1.5
        let out = TextureCrossFade.fade(a, toward: b, weight: weight, sigma: sigma).scalars
        let la = Self.blurred(a.scalars, sigma: sigma), lb = Self.blurred(b.scalars, sigma: sigma)
        let plane = Self.height * Self.width
        let da = (0..<out.count).map { a.scalars[$0] - la[$0] }, db = (0..<out.count).map { b.scalars[$0] - lb[$0] }
        let mix = (0..<out.count).map { (1 - weight[$0 % plane]) * da[$0] + weight[$0 % plane] * db[$0] }
        let va = Self.blurred(da.map { $0 * $0 }, sigma: sigma), vb = Self.blurred(db.map { $0 * $0 }, sigma: sigma)
        let vm = Self.blurred(mix.map { $0 * $0 }, sigma: sigma)
        for k in 0..<out.count {
            let w = weight[k % plane]
            let most = 1 / ((1 - w) * (1 - w) + w * w).squareRoot()
            let gain = vm[k] > 0 ? min(max(((1 - w) * va[k] + w * vb[k]) / vm[k], 1).squareRoot(), most) : 1
            let expected = (1 - w) * la[k] + w * lb[k] + mix[k] * gain
            #expect(abs(out[k] - expected) < 1e-2, "element \(k): \(out[k]) against \(expected)")
        }
    }

    @Test func theEndsAreTheTwoRenders() {
        let a = Self.noise(seed: 4, scale: 255), b = Self.noise(seed: 5, scale: 255)
        let plane = Self.height * Self.width
        let start = TextureCrossFade.fade(a, toward: b, weight: Array(repeating: 0, count: plane), sigma: 2).scalars
        let end = TextureCrossFade.fade(a, toward: b, weight: Array(repeating: 1, count: plane), sigma: 2).scalars
        for k in 0..<start.count {
            #expect(abs(start[k] - a.scalars[k]) < 1e-3)
            #expect(abs(end[k] - b.scalars[k]) < 1e-3)
        }
    }

    /// A still background both renders painted alike: whatever the weight, the fade changes no
    /// detail (a fixed 1/sqrt((1 - w)^2 + w^2) sharpened it by up to 1.41x half-way).
    @Test func sharedDetailIsMixedPlainlyNotSharpened() {
        let a = Self.noise(seed: 8, scale: 100)
        // b: a's very detail over another coarse picture (a's plus a smooth ramp).
        let b = Tensor(shape: a.shape, scalars: a.scalars.enumerated().map { $0.element + Float($0.offset % Self.width) })
        let plane = Self.height * Self.width
        for w: Float in [0.25, 0.5, 0.75] {
            let out = TextureCrossFade.fade(a, toward: b, weight: Array(repeating: w, count: plane), sigma: 2).scalars
            let plain = zip(a.scalars, b.scalars).map { (1 - w) * $0 + w * $1 }
            let worst = zip(out, plain).map { abs($0 - $1) }.max()!
            #expect(worst < 0.05, "weight \(w): \(worst) from the plain mix")
        }
        #expect(TextureCrossFade.contrastGain(w: 0.5, va: 4, vb: 4, vm: 4) == 1)
        #expect(abs(TextureCrossFade.contrastGain(w: 0.5, va: 4, vb: 4, vm: 2) - Float(2).squareRoot()) < 1e-6)
        #expect(abs(TextureCrossFade.contrastGain(w: 0.5, va: 4, vb: 4, vm: 0.5) - Float(2).squareRoot()) < 1e-6)   // at most the uncorrelated gain
    }

    @Test func halfWayTheDetailKeepsItsContrastWhereAPlainMixHalvesItsVariance() {
        // Two unrelated fine textures on one flat grey: the blur's detail is the texture.
        let a = Self.noise(seed: 6, scale: 100), b = Self.noise(seed: 7, scale: 100)
        let plane = Self.height * Self.width
        let half = Array(repeating: Float(0.5), count: plane)
        func variance(_ x: [Float]) -> Float {
            let mean = x.reduce(0, +) / Float(x.count)
            return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(x.count)
        }
        let faded = variance(TextureCrossFade.fade(a, toward: b, weight: half, sigma: 3).scalars)
        let mixed = variance(zip(a.scalars, b.scalars).map { ($0 + $1) / 2 })
        let ends = (variance(a.scalars) + variance(b.scalars)) / 2
        #expect(mixed < 0.6 * ends)
        #expect(faded > 0.85 * ends && faded < 1.15 * ends, "variance \(faded) against the renders' \(ends)")
    }
}
