import Testing
@testable import Engine

@Suite struct Conv2DTests {
    struct Case: CustomStringConvertible, Sendable {
        var input: [Int], out: Int, kernel: Int, stride: Int, padding: Int, mode: PaddingMode
        var band: Int = 1 << 22
        var description: String { "\(input) k\(kernel) s\(stride) p\(padding) \(mode) band \(band)" }
    }

    static let cases: [Case] = [
        Case(input: [1, 3, 5, 7], out: 4, kernel: 3, stride: 1, padding: 1, mode: .zero),
        Case(input: [2, 2, 6, 5], out: 3, kernel: 3, stride: 2, padding: 1, mode: .reflect),
        Case(input: [1, 5, 4, 3], out: 6, kernel: 1, stride: 1, padding: 0, mode: .zero),
        Case(input: [1, 2, 9, 8], out: 2, kernel: 5, stride: 2, padding: 2, mode: .zero),
        Case(input: [1, 3, 10, 11], out: 2, kernel: 9, stride: 1, padding: 4, mode: .reflect),
        Case(input: [1, 3, 7, 6], out: 5, kernel: 3, stride: 1, padding: 1, mode: .zero, band: 20),
        Case(input: [2, 2, 7, 9], out: 3, kernel: 3, stride: 2, padding: 1, mode: .reflect, band: 1),
        Case(input: [1, 2, 5, 6], out: 2, kernel: 2, stride: 1, padding: 0, mode: .zero),
    ]

    func layer(_ c: Case, using rng: inout SplitMix64) -> Conv2D {
        let conv = Conv2D(inChannels: c.input[1], outChannels: c.out, kernelSize: c.kernel,
                          stride: c.stride, padding: c.padding, paddingMode: c.mode)
        conv.weight = Tensor.random(conv.weight.shape, using: &rng)
        conv.bias = Tensor.random(conv.bias.shape, using: &rng)
        conv.maxColumnElements = c.band
        conv.algorithm = .im2col      // Winograd and direct convolution have their own tests
        return conv
    }

    @Test(arguments: cases) func forwardMatchesNaive(_ c: Case) {
        var rng = SplitMix64(seed: 7)
        let conv = layer(c, using: &rng)
        let x = Tensor.random(c.input, using: &rng)
        let fast = conv.forward(x)
        let naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, stride: c.stride,
                                        padding: c.padding, mode: c.mode)
        #expect(fast.shape == naive.shape)
        #expect(fast.relativeError(to: naive) < Tolerance.forward)
        #expect(conv.outputShape(for: c.input) == naive.shape)
    }

    @Test(arguments: cases) func backwardMatchesFiniteDifferences(_ c: Case) {
        var rng = SplitMix64(seed: 11)
        let conv = layer(c, using: &rng)
        let x = Tensor.random(c.input, using: &rng)
        let r = Tensor.random(conv.outputShape(for: c.input), using: &rng)
        _ = conv.forward(x)
        let dx = conv.backward(r)
        let (dw, db) = (conv.weightGradient, conv.biasGradient)

        let numericX = GradientCheck.numericGradient(of: { conv.forward($0) }, at: x, projection: r)
        #expect(dx.relativeError(to: numericX) < Tolerance.gradient)

        let (w0, b0) = (conv.weight, conv.bias)
        let numericW = GradientCheck.numericGradient(of: { w in conv.weight = w; return conv.forward(x) },
                                                     at: w0, projection: r)
        conv.weight = w0
        #expect(dw.relativeError(to: numericW) < Tolerance.gradient)
        let numericB = GradientCheck.numericGradient(of: { b in conv.bias = b; return conv.forward(x) },
                                                     at: b0, projection: r)
        #expect(db.relativeError(to: numericB) < Tolerance.gradient)
    }

    @Test func parameterGradientsAccumulateAndCanBeSkipped() {
        var rng = SplitMix64(seed: 3)
        let c = Self.cases[0]
        let conv = layer(c, using: &rng)
        let x = Tensor.random(c.input, using: &rng)
        let r = Tensor.random(conv.outputShape(for: c.input), using: &rng)
        _ = conv.forward(x)
        let dx1 = conv.backward(r)
        let dw1 = conv.weightGradient, db1 = conv.biasGradient
        _ = conv.backward(r)
        #expect(conv.weightGradient.relativeError(to: Tensor(shape: dw1.shape, scalars: dw1.scalars.map { 2 * $0 })) < 1e-6)
        #expect(conv.biasGradient.relativeError(to: Tensor(shape: db1.shape, scalars: db1.scalars.map { 2 * $0 })) < 1e-6)

        conv.zeroGradients()
        conv.computesParameterGradients = false
        let dx2 = conv.backward(r)
        #expect(dx2 == dx1)
        #expect(conv.weightGradient.scalars.allSatisfy { $0 == 0 })
        #expect(conv.biasGradient.scalars.allSatisfy { $0 == 0 })
    }

    /// The im2col path folds the bias into its GEMM; a new weight or bias must be picked up.
    @Test func parameterChangesAfterForwardAreSeen() {
        var rng = SplitMix64(seed: 6)
        let conv = layer(Self.cases[0], using: &rng)
        let x = Tensor.random(Self.cases[0].input, using: &rng)
        _ = conv.forward(x)
        conv.bias = Tensor.random(conv.bias.shape, using: &rng)
        var naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, padding: 1)
        #expect(conv.forward(x).relativeError(to: naive) < Tolerance.forward)
        conv.updateParameters { value, _ in value = value * 0.5 }
        naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, padding: 1)
        #expect(conv.forward(x).relativeError(to: naive) < Tolerance.forward)
    }

    @Test func reusedLayerHandlesChangingInputSizes() {
        var rng = SplitMix64(seed: 5)
        let conv = layer(Self.cases[0], using: &rng)
        for shape in [[1, 3, 5, 7], [1, 3, 8, 4], [1, 3, 5, 7]] {
            let x = Tensor.random(shape, using: &rng)
            let naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, padding: 1)
            #expect(conv.forward(x).relativeError(to: naive) < Tolerance.forward)
        }
    }

    /// Every algorithm (im2col, pointwise, Winograd, direct) gives the same parameter gradients
    /// with the input gradient switched off, and returns an empty tensor for it.
    @Test(arguments: [(5, 4, 3, 1, Conv2D.Algorithm.im2col), (5, 4, 1, 0, .automatic),
                      (3, 16, 3, 1, .winograd), (6, 3, 5, 2, .automatic)])
    func inputGradientCanBeSkipped(_ cin: Int, _ cout: Int, _ k: Int, _ p: Int, _ algorithm: Conv2D.Algorithm) {
        var rng = SplitMix64(seed: 9)
        let conv = Conv2D(inChannels: cin, outChannels: cout, kernelSize: k, padding: p, paddingMode: .zero)
        conv.algorithm = algorithm
        conv.initialize(using: &rng)
        let x = Tensor.random([2, cin, 7, 9], using: &rng)
        let r = Tensor.random(conv.outputShape(for: x.shape), using: &rng)
        _ = conv.forward(x)
        #expect(conv.backward(r).shape == x.shape)
        let (dw, db) = (conv.weightGradient, conv.biasGradient)
        conv.zeroGradients()
        conv.computesInputGradient = false
        #expect(conv.backward(r).shape == [0])
        #expect(conv.weightGradient == dw)
        #expect(conv.biasGradient == db)
    }
}
