import Testing
@testable import Engine

/// A ReCoNet-shaped residual block (reflection-padded conv, instance norm, ReLU, conv, norm)
/// checked end to end, which also exercises `Sequential` and the parameter plumbing.
@Suite struct ResidualTests {
    func block(channels: Int, using rng: inout SplitMix64) -> Residual {
        let c1 = Conv2D(inChannels: channels, outChannels: channels, kernelSize: 3, padding: 1, paddingMode: .reflect)
        let c2 = Conv2D(inChannels: channels, outChannels: channels, kernelSize: 3, padding: 1, paddingMode: .reflect)
        c1.initialize(using: &rng)
        c2.initialize(using: &rng)
        return Residual(Sequential([c1, InstanceNorm(channels: channels), ReLU(), c2, InstanceNorm(channels: channels)]))
    }

    @Test func forwardIsInputPlusBody() {
        var rng = SplitMix64(seed: 41)
        let res = block(channels: 2, using: &rng)
        let x = Tensor.random([1, 2, 5, 6], using: &rng)
        let expected = (res.body as! Sequential).forward(x).scalars
        let y = res.forward(x)
        for i in 0..<x.count { #expect(abs(y[i] - (x[i] + expected[i])) < 1e-6) }
    }

    @Test func backwardMatchesFiniteDifferences() {
        var rng = SplitMix64(seed: 42)
        let res = block(channels: 2, using: &rng)
        let x = Tensor.random([1, 2, 5, 6], using: &rng)
        let r = Tensor.random(x.shape, using: &rng)
        _ = res.forward(x)
        let dx = res.backward(r)
        let numeric = GradientCheck.numericGradient(of: { res.forward($0) }, at: x, projection: r, step: 1e-3)
        #expect(dx.relativeError(to: numeric) < Tolerance.gradient)

        var visited = 0
        res.updateParameters { value, gradient in
            #expect(value.shape == gradient.shape)
            visited += 1
        }
        #expect(visited == 8)   // two convs (weight, bias) and two norms (scale, shift)
        res.zeroGradients()
        res.updateParameters { _, gradient in #expect(gradient.scalars.allSatisfy { $0 == 0 }) }
    }
}
