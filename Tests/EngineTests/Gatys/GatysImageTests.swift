import Testing
@testable import Engine

@Suite struct GatysImageTests {
    @Test func caffeConversionSwapsChannelsAndSubtractsTheMean() {
        var rng = SplitMix64(seed: 8)
        let rgb = Tensor.random([1, 3, 3, 4], in: 0...255, using: &rng)
        let caffe = GatysImage.toCaffe(rgb)
        // Pixel 5: BGR order, minus [103.939, 116.779, 123.68].
        #expect(abs(caffe[5] - (rgb[24 + 5] - 103.939)) < 1e-4)
        #expect(abs(caffe[12 + 5] - (rgb[12 + 5] - 116.779)) < 1e-4)
        #expect(abs(caffe[24 + 5] - (rgb[5] - 123.68)) < 1e-4)
        #expect(GatysImage.fromCaffe(caffe).relativeError(to: rgb) < 1e-6)
        #expect(GatysImage.swappingRedAndBlue(GatysImage.swappingRedAndBlue(rgb)) == rgb)
    }

    @Test func resizeKeepsConstantsAndIdentity() {
        let flat = Tensor(shape: [1, 3, 9, 13], repeating: 42)
        for (w, h) in [(5, 4), (13, 9), (27, 19), (1, 1)] {
            let r = GatysImage.resized(flat, width: w, height: h)
            #expect(r.shape == [1, 3, h, w])
            #expect((0..<r.count).allSatisfy { abs(r[$0] - 42) < 1e-3 })
        }
        var rng = SplitMix64(seed: 9)
        let x = Tensor.random([1, 3, 5, 6], using: &rng)
        #expect(GatysImage.resized(x, width: 6, height: 5) == x)
        // Halving a horizontal ramp gives the ramp at the half-pixel centres.
        var ramp = Tensor(shape: [1, 1, 1, 16])
        for i in 0..<16 { ramp[i] = Float(i) }
        let half = GatysImage.resized(ramp, width: 8, height: 1)
        for o in 1..<7 { #expect(abs(half[o] - (Float(2 * o) + 0.5)) < 1e-4) }
    }

    @Test func noiseIsSeededAndInRange() {
        let a = GatysImage.noise(width: 7, height: 5, seed: 3), b = GatysImage.noise(width: 7, height: 5, seed: 3)
        #expect(a == b)
        #expect(a != GatysImage.noise(width: 7, height: 5, seed: 4))
        #expect((0..<a.count).allSatisfy { a[$0] >= 63 && a[$0] <= 192 })
    }

    @Test func histogramMatchingGivesTheContentsColourStatistics() {
        var rng = SplitMix64(seed: 10)
        let content = Tensor.random([1, 3, 20, 30], in: 60...200, using: &rng)
        var style = Tensor.random([1, 3, 16, 16], in: 0...1, using: &rng)
        // A style with correlated channels and its own mean: r = 80 + 40u, g = 0.5 r + 30v, b = 200 - 50u + 20w.
        let plane = 256
        for i in 0..<plane {
            let u = style[i], v = style[plane + i], w = style[2 * plane + i]
            style[i] = 80 + 40 * u; style[plane + i] = 0.5 * style[i] + 30 * v; style[2 * plane + i] = 200 - 50 * u + 20 * w
        }
        let matched = ColorTransfer.matchingColorStatistics(of: style, to: content)
        let (mc, cc) = ColorTransfer.statistics(content), (mm, cm) = ColorTransfer.statistics(matched)
        for r in 0..<3 {
            #expect(abs(mc[r] - mm[r]) < 0.5)
            for c in 0..<3 { #expect(abs(cc[r][c] - cm[r][c]) < 0.02 * cc[r][r]) }
        }
    }

    @Test func luminanceOnlyKeepsStyledLuminanceAndContentChroma() {
        var rng = SplitMix64(seed: 11)
        let content = Tensor.random([1, 3, 4, 5], in: 90...160, using: &rng)
        let styled = Tensor.random([1, 3, 4, 5], in: 90...160, using: &rng)
        let out = ColorTransfer.luminanceOnly(styled: styled, content: content)
        func yiq(_ t: Tensor, _ i: Int) -> (Float, Float, Float) {
            let (r, g, b) = (t[i], t[20 + i], t[40 + i])
            return (0.299 * r + 0.587 * g + 0.114 * b, 0.595716 * r - 0.274453 * g - 0.321263 * b, 0.211456 * r - 0.522591 * g + 0.311135 * b)
        }
        for i in 0..<20 {
            let (yo, io, qo) = yiq(out, i), (ys, _, _) = yiq(styled, i), (_, ic, qc) = yiq(content, i)
            #expect(abs(yo - ys) < 0.05 && abs(io - ic) < 0.05 && abs(qo - qc) < 0.05)
        }
    }
}
