import Testing
@testable import Engine

/// The fused upsample-and-convolve against the two layers it replaces and against a naive loop
/// over the upsampled, reflection-padded image.
@Suite struct Conv2DNearestUpsampleTests {
    static func layer(_ cin: Int, _ cout: Int, rng: inout SplitMix64) -> Conv2D {
        let conv = Conv2D(inChannels: cin, outChannels: cout, kernelSize: 3, stride: 1, padding: 1, paddingMode: .reflect)
        conv.weight = .random([cout, cin, 3, 3], using: &rng)
        conv.bias = .random([cout], using: &rng)
        return conv
    }

    /// y[co][Y][X] = b + sum w[co][ci][ky][kx] * U[ci][refl(Y + ky - 1)][refl(X + kx - 1)], U[y][x] = x[y / 2][x / 2].
    static func naive(_ conv: Conv2D, _ x: Tensor) -> [Float] {
        let (n, cin, h, w, cout) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3], conv.outChannels)
        let (uh, uw) = (2 * h, 2 * w)
        func reflect(_ i: Int, _ size: Int) -> Int { i < 0 ? -i : i >= size ? 2 * size - 2 - i : i }
        let xs = x.scalars, ws = conv.weight.scalars, bs = conv.bias.scalars
        var out = [Float](repeating: 0, count: n * cout * uh * uw)
        for b in 0..<n { for co in 0..<cout { for yy in 0..<uh { for xx in 0..<uw {
            var sum = Double(bs[co])
            for ci in 0..<cin { for ky in 0..<3 { for kx in 0..<3 {
                let sy = reflect(yy + ky - 1, uh) / 2, sx = reflect(xx + kx - 1, uw) / 2
                sum += Double(ws[((co * cin + ci) * 3 + ky) * 3 + kx]) * Double(xs[((b * cin + ci) * h + sy) * w + sx])
            } } }
            out[((b * cout + co) * uh + yy) * uw + xx] = Float(sum)
        } } } }
        return out
    }

    @Test(arguments: [(2, 3, 4, 7, 9), (1, 5, 6, 1, 3), (1, 17, 16, 5, 11), (1, 4, 2, 6, 1)])
    func equalsUpsampleThenConvolve(n: Int, cin: Int, cout: Int, h: Int, w: Int) throws {
        var rng = SplitMix64(seed: UInt64(cin * 100 + h * 10 + w))
        let conv = Self.layer(cin, cout, rng: &rng)
        let x = Tensor.random([n, cin, h, w], using: &rng)
        let fused = conv.forwardAfterNearestUpsample(x)
        #expect(fused.shape == [n, cout, 2 * h, 2 * w])
        let reference = Self.naive(conv, x)
        let worst = zip(fused.scalars, reference).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4)
        let layered = conv.forward(Upsample(factor: 2).forward(x))
        let worstLayered = zip(fused.scalars, layered.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worstLayered < 1e-4)
    }

    @Test func bandsOfRowsGiveTheSameResult() throws {
        var rng = SplitMix64(seed: 9)
        let conv = Self.layer(6, 5, rng: &rng)
        let x = Tensor.random([1, 6, 13, 10], using: &rng)
        let whole = conv.forwardAfterNearestUpsample(x)
        conv.maxColumnElements = 5 * 12 * 3   // three input rows per band (5 outputs, rows of 12), the last band short
        let banded = conv.forwardAfterNearestUpsample(x)
        // OpenBLAS may block a narrower product differently: equal up to rounding.
        let worst = zip(banded.scalars, whole.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(banded.shape == whole.shape && worst < 1e-5)
    }

    @Test func reconetStylizeEqualsItsTrainingForward() throws {
        var rng = SplitMix64(seed: 4)
        let net = ReCoNet(configuration: .init(widths: [3, 4, 6], residualBlocks: 1), using: &rng)
        let x = Tensor.random([1, 3, 22, 19], in: 0...255, using: &rng)
        let fast = net.stylize(x), slow = net.forward(x).output
        #expect(fast.shape == slow.shape)
        let worst = zip(fast.scalars, slow.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-2)   // outputs are 0...255
    }
}
