import Testing
@testable import Engine

/// Winograd F(4x4, 3x3) against the naive loop, on shapes that leave partial tiles and partial
/// groups of eight tiles, with one band and with many.
@Suite struct WinogradTests {
    struct Case: CustomStringConvertible, Sendable {
        var input: [Int], out: Int, band: Int
        var mode: PaddingMode = .zero
        var description: String { "\(input) -> \(out) band \(band) \(mode)" }
    }

    static let cases: [Case] = [
        Case(input: [1, 3, 5, 7], out: 4, band: 1 << 22),
        Case(input: [2, 5, 13, 37], out: 6, band: 1 << 22),
        Case(input: [1, 4, 9, 33], out: 3, band: 1),           // one tile row per band
        Case(input: [1, 17, 8, 8], out: 16, band: 1 << 22),   // automatic picks Winograd here
        Case(input: [1, 2, 1, 2], out: 2, band: 1 << 22),
        Case(input: [1, 3, 6, 10], out: 2, band: 1 << 22),    // widths 2 mod 4 end on a partial tile
        Case(input: [1, 3, 7, 6], out: 4, band: 1 << 22, mode: .reflect),
        Case(input: [2, 2, 10, 13], out: 3, band: 1, mode: .reflect),
    ]

    func layer(_ c: Case, using rng: inout SplitMix64) -> Conv2D {
        let conv = Conv2D(inChannels: c.input[1], outChannels: c.out, kernelSize: 3, padding: 1, paddingMode: c.mode)
        conv.weight = Tensor.random(conv.weight.shape, using: &rng)
        conv.bias = Tensor.random(conv.bias.shape, using: &rng)
        conv.algorithm = .winograd
        conv.maxColumnElements = c.band
        return conv
    }

    @Test(arguments: cases) func forwardMatchesNaive(_ c: Case) {
        var rng = SplitMix64(seed: 61)
        let conv = layer(c, using: &rng)
        #expect(conv.usesWinograd)
        let x = Tensor.random(c.input, using: &rng)
        let naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, padding: 1, mode: c.mode)
        #expect(conv.forward(x).relativeError(to: naive) < Tolerance.winograd)
    }

    @Test(arguments: cases) func backwardMatchesFiniteDifferences(_ c: Case) {
        var rng = SplitMix64(seed: 62)
        let conv = layer(c, using: &rng)
        let x = Tensor.random(c.input, using: &rng)
        let r = Tensor.random(conv.outputShape(for: c.input), using: &rng)
        _ = conv.forward(x)
        let dx = conv.backward(r)
        let dw = conv.weightGradient
        conv.algorithm = .im2col
        let numeric = GradientCheck.numericGradient(of: { conv.forward($0) }, at: x, projection: r)
        #expect(dx.relativeError(to: numeric) < Tolerance.gradient)
        // Winograd's weight gradient against im2col's.
        conv.zeroGradients()
        _ = conv.forward(x)
        let dxIm2col = conv.backward(r)
        #expect(dw.relativeError(to: conv.weightGradient) < Tolerance.winograd)
        #expect(dx.relativeError(to: dxIm2col) < Tolerance.winograd)
    }

    @Test func automaticChoosesByShapeAndWeightsChangesAreSeen() {
        var rng = SplitMix64(seed: 63)
        #expect(!Conv2D(inChannels: 3, outChannels: 64, kernelSize: 3, padding: 1).usesWinograd)
        #expect(Conv2D(inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1).usesWinograd)
        #expect(!Conv2D(inChannels: 64, outChannels: 64, kernelSize: 3, stride: 2, padding: 1).usesWinograd)
        let reflected = Conv2D(inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, paddingMode: .reflect)
        #expect(reflected.usesWinograd)
        let conv = Conv2D(inChannels: 16, outChannels: 16, kernelSize: 3, padding: 1)
        let x = Tensor.random([1, 16, 6, 9], using: &rng)
        conv.weight = Tensor.random(conv.weight.shape, using: &rng)
        _ = conv.forward(x)
        conv.weight = Tensor.random(conv.weight.shape, using: &rng)     // cached transform must go
        let naive = NaiveConv2D.forward(x, conv.weight, bias: conv.bias, padding: 1)
        #expect(conv.forward(x).relativeError(to: naive) < Tolerance.winograd)
    }

    /// Images of at least `Conv2D.winogradWeightGradientMinimumPixels` take the Winograd-domain
    /// weight gradient; it must agree with im2col's (itself checked against finite differences).
    @Test(arguments: [PaddingMode.zero, .reflect])
    func weightGradientOnLargerImagesMatchesIm2col(_ mode: PaddingMode) {
        var rng = SplitMix64(seed: 64)
        let conv = Conv2D(inChannels: 5, outChannels: 6, kernelSize: 3, padding: 1, paddingMode: mode)
        conv.algorithm = .winograd
        conv.initialize(using: &rng)
        let x = Tensor.random([2, 5, 34, 37], using: &rng)
        #expect(34 * 37 >= Conv2D.winogradWeightGradientMinimumPixels)
        let r = Tensor.random([2, 6, 34, 37], using: &rng)
        _ = conv.forward(x)
        let dx = conv.backward(r)
        let (dw, db) = (conv.weightGradient, conv.biasGradient)
        conv.algorithm = .im2col
        conv.zeroGradients()
        _ = conv.forward(x)
        #expect(dx.relativeError(to: conv.backward(r)) < Tolerance.winograd)
        #expect(dw.relativeError(to: conv.weightGradient) < Tolerance.winograd)
        #expect(db.relativeError(to: conv.biasGradient) < Tolerance.forward)
    }
}
