import Testing
@testable import Engine

/// Direct convolution (few output channels, stride 1) against the naive loop and finite
/// differences, including reflection padding, whose input gradient folds the border back.
@Suite struct DirectConvTests {
    struct Case: CustomStringConvertible, Sendable {
        var input: [Int], out: Int, kernel: Int, padding: Int, mode: PaddingMode
        var band: Int = 1 << 22
        var description: String { "\(input) -> \(out) k\(kernel) p\(padding) \(mode) band \(band)" }
    }

    static let cases: [Case] = [
        Case(input: [1, 5, 12, 21], out: 3, kernel: 9, padding: 4, mode: .reflect),
        Case(input: [2, 3, 7, 18], out: 2, kernel: 3, padding: 1, mode: .zero),
        Case(input: [1, 4, 9, 35], out: 4, kernel: 5, padding: 2, mode: .zero, band: 200),
        Case(input: [1, 2, 6, 5], out: 1, kernel: 2, padding: 0, mode: .zero),
        Case(input: [1, 3, 8, 17], out: 3, kernel: 3, padding: 1, mode: .reflect, band: 1),
        Case(input: [1, 3, 9, 20], out: 10, kernel: 3, padding: 1, mode: .zero),      // few inputs, 3 groups
        Case(input: [2, 2, 11, 19], out: 6, kernel: 5, padding: 2, mode: .reflect),
    ]

    func layer(_ c: Case, using rng: inout SplitMix64) -> Conv2D {
        let conv = Conv2D(inChannels: c.input[1], outChannels: c.out, kernelSize: c.kernel,
                          padding: c.padding, paddingMode: c.mode)
        conv.weight = Tensor.random(conv.weight.shape, using: &rng)
        conv.bias = Tensor.random(conv.bias.shape, using: &rng)
        conv.maxColumnElements = c.band
        return conv
    }

    @Test(arguments: cases) func forwardMatchesNaive(_ c: Case) {
        var rng = SplitMix64(seed: 71)
        let conv = layer(c, using: &rng)
        #expect(conv.usesDirect)
        let x = Tensor.random(c.input, using: &rng)
        let naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, padding: c.padding, mode: c.mode)
        #expect(conv.forward(x).relativeError(to: naive) < Tolerance.forward)
    }

    @Test(arguments: cases) func backwardMatchesFiniteDifferencesAndIm2col(_ c: Case) {
        var rng = SplitMix64(seed: 72)
        let conv = layer(c, using: &rng)
        let x = Tensor.random(c.input, using: &rng)
        let r = Tensor.random(conv.outputShape(for: c.input), using: &rng)
        _ = conv.forward(x)
        let dx = conv.backward(r)
        let (dw, db) = (conv.weightGradient, conv.biasGradient)
        let numeric = GradientCheck.numericGradient(of: { conv.forward($0) }, at: x, projection: r)
        #expect(dx.relativeError(to: numeric) < Tolerance.gradient)

        conv.algorithm = .im2col
        conv.zeroGradients()
        _ = conv.forward(x)
        #expect(dx.relativeError(to: conv.backward(r)) < Tolerance.forward)
        #expect(dw.relativeError(to: conv.weightGradient) < Tolerance.forward)
        #expect(db.relativeError(to: conv.biasGradient) < Tolerance.forward)
    }

    @Test func chosenForFewChannelsAtStrideOne() {
        #expect(Conv2D(inChannels: 32, outChannels: 3, kernelSize: 9, padding: 4, paddingMode: .reflect).usesDirect)
        #expect(Conv2D(inChannels: 3, outChannels: 32, kernelSize: 9, padding: 4).usesDirect)
        let few = Conv2D(inChannels: 3, outChannels: 64, kernelSize: 3, padding: 1)
        #expect(few.usesDirect && !few.usesDirectBackward)
        #expect(Conv2D(inChannels: 32, outChannels: 3, kernelSize: 9, padding: 4).usesDirectBackward)
        #expect(!Conv2D(inChannels: 32, outChannels: 32, kernelSize: 5, padding: 2).usesDirect)
        #expect(!Conv2D(inChannels: 32, outChannels: 3, kernelSize: 3, stride: 2, padding: 1).usesDirect)
        #expect(!Conv2D(inChannels: 32, outChannels: 3, kernelSize: 1).usesDirect)
    }
}
