import Testing
@testable import Engine

/// The network end to end on tiny widths: shapes, and every gradient against central finite
/// differences of sum(output * r) (input, and a sample of each parameter tensor's elements).
@Suite struct ReCoNetTests {
    static let tiny = ReCoNet.Configuration(widths: [2, 3, 4], residualBlocks: 1)

    @Test func shapesAndCrop() {
        var rng = SplitMix64(seed: 7)
        let net = ReCoNet(configuration: Self.tiny, using: &rng)
        let x = Tensor.random([2, 3, 9, 11], in: 0...255, using: &rng)
        let (features, output) = net.forward(x)
        #expect(features.shape == [2, 4, 3, 3])
        #expect(output.shape == x.shape)
        #expect(output.scalars.allSatisfy { $0 >= 0 && $0 <= 255 })
        #expect(ReCoNet(configuration: .paper, using: &rng).parameterCount == 3_098_307)
    }

    @Test func paperFlopsAt640x360() {
        var rng = SplitMix64(seed: 8)
        let gflop = ReCoNet(configuration: .paper, using: &rng).flops(height: 360, width: 640) / 1e9
        // Issue 7 quotes about 134 GFLOP for a 640x360 frame.
        #expect(abs(gflop - 134) < 10)
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        var rng = SplitMix64(seed: 9)
        let net = ReCoNet(configuration: Self.tiny, using: &rng)
        let x = Tensor.random([1, 3, 7, 9], in: 20...235, using: &rng)
        let r = Tensor.random(x.shape, using: &rng)
        let rf = Tensor.random([1, 4, 2, 3], using: &rng)
        func loss(_ input: Tensor) -> Double {
            let (f, o) = net.forward(input)
            return o.referenceDot(r) + 100 * f.referenceDot(rf)
        }
        net.zeroGradients()
        _ = net.forward(x)
        let dx = net.backward(outputGradient: r, featureGradient: rf * 100)
        var grads: [Tensor] = []
        net.updateParameters { _, g in grads.append(g) }

        // Input gradient (inputs in 0...255, so a step of 0.5 is small).
        var numeric = Tensor(shape: x.shape)
        var probe = x
        for i in 0..<x.count {
            let v = probe[i]
            probe[i] = v + 0.5; let plus = loss(probe)
            probe[i] = v - 0.5; let minus = loss(probe)
            probe[i] = v
            numeric[i] = Float((plus - minus) / 1.0)
        }
        #expect(dx.relativeError(to: numeric) < 2e-2)

        // Parameters: up to 4 elements of every tensor.
        var params = net.parameters
        var analytic: [Double] = [], finite: [Double] = []
        for k in params.indices {
            let stride = max(1, params[k].count / 4)
            for i in Swift.stride(from: 0, to: params[k].count, by: stride) {
                let v = params[k][i]
                let h: Float = 1e-3
                params[k][i] = v + h; try net.load(params); let plus = loss(x)
                params[k][i] = v - h; try net.load(params); let minus = loss(x)
                params[k][i] = v; try net.load(params)
                analytic.append(Double(grads[k][i]))
                finite.append((plus - minus) / Double(2 * h))
            }
        }
        // A weight of the first convolution moves every pixel, so a probe of +-h can push a few
        // ReLUs across zero and spoil that difference; all but a few elements must agree to 1% (or
        // to 1.0 absolute: the loss is ~1e4, so Float32 differences carry ~0.5 of noise).
        let disagreeing = zip(analytic, finite).filter { abs($0 - $1) > 0.01 * max(abs($1), 100) }.count
        #expect(disagreeing <= analytic.count / 20)
        #expect(analytic.count > 80)
    }

    /// A gradient with respect to the values before the output's tanh (the saturation penalty's)
    /// reaches the parameters as finite differences of sum(mappingInput * q) say.
    @Test func mappingInputGradientMatchesFiniteDifferences() throws {
        var rng = SplitMix64(seed: 11)
        let net = ReCoNet(configuration: Self.tiny, using: &rng)
        let x = Tensor.random([1, 3, 8, 8], in: 20...235, using: &rng)
        let q = Tensor.random(x.shape, using: &rng)
        func loss(_ input: Tensor) -> Double {
            _ = net.forward(input)
            return net.mappingInput!.referenceDot(q)
        }
        net.zeroGradients()
        _ = net.forward(x)
        #expect(net.mappingInput?.shape == [1, 3, 8, 8])
        net.backward(outputGradient: Tensor(shape: x.shape), mappingInputGradient: q)
        var grads: [Tensor] = []
        net.updateParameters { _, g in grads.append(g) }
        var params = net.parameters
        var analytic: [Double] = [], finite: [Double] = []
        for k in params.indices {
            let stride = max(1, params[k].count / 3)
            for i in Swift.stride(from: 0, to: params[k].count, by: stride) {
                let v = params[k][i], h: Float = 2e-4
                params[k][i] = v + h; try net.load(params); let plus = loss(x)
                params[k][i] = v - h; try net.load(params); let minus = loss(x)
                params[k][i] = v; try net.load(params)
                analytic.append(Double(grads[k][i]))
                finite.append((plus - minus) / Double(2 * h))
            }
        }
        // A small probe (2e-4): at 1e-3 the instance norms over 2x2 feature maps bent a tenth of
        // the differences by 3-10 %. As above, a probe can still push a ReLU across zero.
        let disagreeing = zip(analytic, finite).filter { abs($0 - $1) > 0.02 * max(abs($1), 0.5) }
        #expect(disagreeing.count <= analytic.count / 20, "\(disagreeing)")
        #expect(analytic.count > 60)
        // The last convolution's biases: d/db sum(y q) is the sum of q over its channel, exactly.
        let bias = grads[grads.count - 1]
        for c in 0..<3 {
            let plain = (0..<64).reduce(0.0) { $0 + Double(q[c * 64 + $1]) }
            #expect(abs(Double(bias[c]) - plain) < 1e-3 * max(1, abs(plain)))
        }
    }

    @Test func loadRejectsWrongShapes() {
        var rng = SplitMix64(seed: 10)
        let net = ReCoNet(configuration: Self.tiny, using: &rng)
        var params = net.parameters
        #expect(throws: ReCoNetError.parameterCount(expected: params.count, got: params.count - 1)) {
            try net.load(Array(params.dropLast()))
        }
        params[0] = Tensor(shape: [1])
        #expect(throws: ReCoNetError.self) { try net.load(params) }
    }
}
