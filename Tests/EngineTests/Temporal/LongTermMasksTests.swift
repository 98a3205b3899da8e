import Testing
@testable import Engine

@Suite struct LongTermMasksTests {
    /// Ruder et al.'s eq. 10 written as it reads, per pixel and per j, against the running sum.
    @Test func matchesTheFormulaOnRandomMasks() {
        var rng = SplitMix64(seed: 41)
        let n = 53
        let c = (0..<4).map { _ in (0..<n).map { i in i % 5 == 0 ? Float(i % 2) : Float.random(in: 0...1, using: &rng) } }
        let out = LongTermMasks.masks(c)
        #expect(out.count == 4)
        for j in 0..<4 {
            for p in 0..<n {
                var nearer: Float = 0
                for k in 0..<j { nearer += c[k][p] }
                #expect(abs(out[j][p] - max(c[j][p] - nearer, 0)) <= 1e-6)
            }
        }
    }

    /// Binary masks: each pixel goes to the nearest frame that saw it, and to none if none did.
    @Test func eachPixelGoesToTheNearestFrameThatSawIt() {
        let c: [[Float]] = [[1, 0, 0, 1], [1, 1, 0, 0], [1, 1, 1, 0]]
        #expect(LongTermMasks.masks(c) == [[1, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0]])
        #expect(LongTermMasks.masks([]).isEmpty)
    }
}

@Suite struct GatysRendererTemporalTests {
    /// Two temporal losses through the renderer's hook, as the long-term loss adds them: each
    /// pulls its half of the image to its own target, and the other half is left to the rest of
    /// the objective. Checks that summed losses and their gradients reach the optimiser whole.
    @Test func twoTemporalLossesEachHoldTheirOwnPixels() throws {
        let weights = VGGNetworkTests.randomWeights(GatysRendererTests.tiny, seed: 35)
        let renderer = try GatysRenderer(weights: weights, options: GatysRendererTests.options(),
                                         styles: [.init(image: GatysRendererTests.picture(12, 10, seed: 2))])
        let (w, h) = (12, 8)
        let content = GatysRendererTests.picture(w, h, seed: 3)
        let a = GatysRendererTests.picture(w, h, seed: 4), b = GatysRendererTests.picture(w, h, seed: 5)
        let left = (0..<(w * h)).map { Float($0 % w < w / 2 ? 1 : 0) }
        let right = left.map { 1 - $0 }
        let losses = [TemporalLoss(target: a, mask: left, weight: 1e4), TemporalLoss(target: b, mask: right, weight: 1e4)]
        let result = try renderer.render(content: content, iterations: 60) { x, g in losses.reduce(0) { $0 + $1.evaluate(x, gradient: &g) } }
        let free = try renderer.render(content: content, iterations: 60)
        func distance(_ x: Tensor, _ t: Tensor, _ m: [Float]) -> Double {
            var s = 0.0
            for c in 0..<3 { for p in 0..<(w * h) where m[p] > 0 { let d = Double(x.scalars[c * w * h + p] - t.scalars[c * w * h + p]); s += d * d } }
            return (s / Double(3 * m.filter { $0 > 0 }.count)).squareRoot()
        }
        // Root-mean-square distance in 0...255 units: near each target, far without the losses.
        #expect(distance(result.image, a, left) < 0.1 * distance(free.image, a, left))
        #expect(distance(result.image, b, right) < 0.1 * distance(free.image, b, right))
        #expect(result.final.extra > 0)
    }
}
