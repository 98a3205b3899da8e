/// A 2-D convolution (cross-correlation, as in PyTorch and Caffe) over NCHW tensors.
///
/// The forward pass is im2col followed by one `GEMM.multiply` per band of output rows: the column
/// matrix is built `maxColumnElements` at a time, so a 1920x1080 frame never needs its multi-GB
/// column matrix, and the band lives in a `ConvWorkspace` that is reused across calls. A 1x1
/// stride-1 unpadded convolution skips im2col (the input already is its column matrix). 3x3
/// stride-1 padding-1 layers with enough channels run as Winograd F(4x4, 3x3) instead (see
/// `Winograd`), a quarter of the multiplications, for forward and the input gradient. Stride-1
/// layers with at most four output channels run as direct convolution (`DirectConv`).
///
/// `backward` returns the input gradient and *adds* the weight and bias gradients to
/// `weightGradient` and `biasGradient` (call `zeroGradients()` between optimizer steps); set
/// `computesParameterGradients = false` when only the input gradient is wanted (Gatys optimises
/// the image, not the weights), which saves one GEMM and one im2col per band.
public final class Conv2D: Layer {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let paddingMode: PaddingMode

    /// Shape `[outChannels, inChannels, kernelSize, kernelSize]`.
    public var weight: Tensor {
        didSet {
            precondition(weight.shape == oldValue.shape, "Conv2D: weight shape changed to \(weight.shape)")
            winogradForward = nil
            winogradBackward = nil
            directForward = nil
            directBackward = nil
            augmentedWeight = nil
        }
    }
    /// Shape `[outChannels]`.
    public var bias: Tensor {
        didSet {
            precondition(bias.shape == oldValue.shape, "Conv2D: bias shape changed to \(bias.shape)")
            augmentedWeight = nil
        }
    }
    /// Accumulated d(loss)/d(weight), shaped like `weight`.
    public internal(set) var weightGradient: Tensor
    /// Accumulated d(loss)/d(bias), shaped like `bias`.
    public internal(set) var biasGradient: Tensor
    /// When false, `backward` computes only the input gradient.
    public var computesParameterGradients = true
    /// When false, `backward` only accumulates the parameter gradients and returns an empty tensor
    /// (shape [0]): for a network's first layer in training, whose input is data, not a variable.
    public var computesInputGradient = true
    /// Largest column band, in floats (default 4 Mi floats = 16 MiB).
    public var maxColumnElements = 1 << 22
    /// Scratch memory for the column bands; several layers that never run concurrently may share one.
    public var workspace: ConvWorkspace

    /// How the convolution is computed; `.automatic` picks Winograd where it applies and pays.
    public var algorithm: Algorithm = .automatic

    public enum Algorithm: Sendable {
        /// Winograd F(4x4, 3x3) for 3x3 stride-1 padded-by-1 layers with at least
        /// `Conv2D.winogradMinimumChannels` channels in and out; im2col + GEMM otherwise.
        case automatic
        /// Always im2col + GEMM.
        case im2col
        /// Winograd where it applies (3x3, stride 1, padding 1), im2col + GEMM otherwise.
        case winograd
    }

    /// Below this many input or output channels, Winograd's GEMMs are too thin to pay (conv1_1's
    /// three input channels are better served by im2col's 27-deep GEMM).
    public static let winogradMinimumChannels = 16

    var geometry: ConvGeometry?
    var input: Tensor?
    /// Transformed weights, rebuilt after `weight` changes.
    var winogradForward: Winograd?
    var winogradBackward: Winograd?
    var directForward: DirectConv?
    /// [out, patch + 1]: the weights with the bias as one more column, so that im2col's GEMM adds
    /// the bias (against a row of ones) instead of a separate pass over the output.
    var augmentedWeight: [Float]?
    var directBackward: DirectConv?

    /// True when forward runs as Winograd F(4x4, 3x3): 3x3, stride 1, padding 1 (zero or reflect).
    public var usesWinograd: Bool {
        guard kernelSize == 3, stride == 1, padding == 1 else { return false }
        switch algorithm {
        case .im2col: return false
        case .winograd: return true
        case .automatic: return min(inChannels, outChannels) >= Conv2D.winogradMinimumChannels
        }
    }


    /// Below this many output pixels per image the weight gradient of a Winograd layer goes by
    /// im2col instead (too few tiles per point GEMM).
    public static let winogradWeightGradientMinimumPixels = 1024

    /// With at most this many output or input channels, a stride-1 layer that is not Winograd's
    /// runs as direct convolution (`DirectConv`): with few outputs, im2col would build Cin*k*k
    /// values per pixel for a GEMM only a few rows tall; with few inputs, the input stays in cache.
    public static let directMaximumChannels = 4

    /// True when forward runs as direct convolution.
    public var usesDirect: Bool {
        guard stride == 1, kernelSize > 1, !usesWinograd, algorithm != .im2col else { return false }
        return min(inChannels, outChannels) <= Conv2D.directMaximumChannels
    }

    /// True when the input and weight gradients run as direct convolution too: only for few
    /// output channels. With few input channels the adjoint has few *output* channels and a
    /// short loop per tap; measured (one thread) for conv1_1's input gradient: 24.5 ms direct
    /// against 12 ms by col2im, so those go by im2col.
    public var usesDirectBackward: Bool {
        usesDirect && outChannels <= Conv2D.directMaximumChannels
    }

    /// A convolution with zero weights and bias; load them or call `initialize(using:)`.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                paddingMode: PaddingMode = .zero, workspace: ConvWorkspace = ConvWorkspace()) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0 && stride > 0 && padding >= 0,
                     "Conv2D: invalid configuration")
        self.inChannels = inChannels; self.outChannels = outChannels; self.kernelSize = kernelSize
        self.stride = stride; self.padding = padding; self.paddingMode = paddingMode
        self.workspace = workspace
        weight = Tensor(shape: [outChannels, inChannels, kernelSize, kernelSize])
        bias = Tensor(shape: [outChannels])
        weightGradient = Tensor(shape: [outChannels, inChannels, kernelSize, kernelSize])
        biasGradient = Tensor(shape: [outChannels])
    }

    /// A convolution with the given weights (`[out, in, k, k]`, square kernel) and bias (`[out]`,
    /// zeros when nil).
    public convenience init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            paddingMode: PaddingMode = .zero, workspace: ConvWorkspace = ConvWorkspace()) {
        precondition(weight.shape.count == 4 && weight.shape[2] == weight.shape[3],
                     "Conv2D: weight must be [out, in, k, k], got \(weight.shape)")
        self.init(inChannels: weight.shape[1], outChannels: weight.shape[0], kernelSize: weight.shape[2],
                  stride: stride, padding: padding, paddingMode: paddingMode, workspace: workspace)
        self.weight = weight
        if let bias {
            precondition(bias.shape == [weight.shape[0]], "Conv2D: bias must be [\(weight.shape[0])], got \(bias.shape)")
            self.bias = bias
        }
    }

    /// PyTorch's default initialisation: weights and bias uniform in +-1/sqrt(fan-in).
    public func initialize<G: RandomNumberGenerator>(using rng: inout G) {
        let bound = 1 / Float(inChannels * kernelSize * kernelSize).squareRoot()
        weight.withUnsafeMutableBufferPointer { w in
            for i in w.indices { w[i] = Float.random(in: -bound...bound, using: &rng) }
        }
        bias.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = Float.random(in: -bound...bound, using: &rng) }
        }
    }

    /// The output shape for an input shape `[n, inChannels, h, w]`.
    public func outputShape(for inputShape: [Int]) -> [Int] {
        let g = geometry(for: inputShape)
        return [inputShape[0], outChannels, g.outHeight, g.outWidth]
    }

    /// Multiply-adds times two of one forward pass on `inputShape` (the direct-convolution count).
    public func flops(for inputShape: [Int]) -> Double {
        let g = geometry(for: inputShape)
        return 2 * Double(inputShape[0] * outChannels * g.patchSize * g.outPixels)
    }

    func geometry(for shape: [Int]) -> ConvGeometry {
        precondition(shape.count == 4 && shape[1] == inChannels,
                     "Conv2D: expected input [n, \(inChannels), h, w], got \(shape)")
        if let g = geometry, g.height == shape[2], g.width == shape[3] { return g }
        let g = ConvGeometry(channels: inChannels, height: shape[2], width: shape[3],
                             kernelHeight: kernelSize, kernelWidth: kernelSize,
                             stride: stride, padding: padding, mode: paddingMode)
        geometry = g
        return g
    }

    /// True when the input itself is the column matrix.
    var isPointwise: Bool { kernelSize == 1 && stride == 1 && padding == 0 }

    /// Output rows per band so that a band's column matrix stays within `maxColumnElements`.
    func bandRows(_ g: ConvGeometry) -> Int {
        max(1, min(g.outHeight, maxColumnElements / max(1, g.patchSize * g.outWidth)))
    }

    public func forward(_ x: Tensor) -> Tensor {
        let g = geometry(for: x.shape)
        let n = x.shape[0], k = g.patchSize, pixels = g.outPixels
        var y = Tensor(uninitializedShape: [n, outChannels, g.outHeight, g.outWidth])
        if usesDirect {
            if directForward == nil { directForward = DirectConv(weight: weight) }
            let direct = directForward!
            x.withUnsafeBufferPointer { xp in bias.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
                for b in 0..<n {
                    direct.run(xp.baseAddress! + b * inChannels * g.height * g.width, height: g.height, width: g.width,
                               padding: padding, mode: paddingMode, bias: bp.baseAddress!,
                               into: yp.baseAddress! + b * outChannels * pixels, workspace: workspace,
                               maxBandElements: maxColumnElements)
                }
            } } }
            input = x
            return y
        }
        if usesWinograd {
            if winogradForward == nil { winogradForward = Winograd(weight: weight) }
            let wino = winogradForward!
            x.withUnsafeBufferPointer { xp in bias.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
                for b in 0..<n {
                    wino.run(xp.baseAddress! + b * inChannels * pixels, height: g.height, width: g.width,
                             bias: bp.baseAddress!, into: yp.baseAddress! + b * outChannels * pixels,
                             workspace: workspace, maxBandElements: maxColumnElements,
                             reflect: paddingMode == .reflect)
                }
            } } }
            input = x
            return y
        }
        let band = bandRows(g)
        let col = isPointwise ? nil : workspace.buffer(count: (k + 1) * band * g.outWidth)
        if !isPointwise && augmentedWeight == nil {
            var a = [Float](repeating: 0, count: outChannels * (k + 1))
            for co in 0..<outChannels {
                for i in 0..<k { a[co * (k + 1) + i] = weight[co * k + i] }
                a[co * (k + 1) + k] = bias[co]
            }
            augmentedWeight = a
        }
        let augmented = augmentedWeight ?? []
        x.withUnsafeBufferPointer { xp in weight.withUnsafeBufferPointer { wp in augmented.withUnsafeBufferPointer { ap in
            bias.withUnsafeBufferPointer { bp in y.withUnsafeMutableBufferPointer { yp in
                for b in 0..<n {
                    let xb = xp.baseAddress! + b * inChannels * g.height * g.width
                    let yb = yp.baseAddress! + b * outChannels * pixels
                    if let col {
                        var r0 = 0
                        while r0 < g.outHeight {
                            let rows = r0..<min(g.outHeight, r0 + band)
                            let cols = rows.count * g.outWidth
                            g.im2col(xb, rows: rows, into: col)
                            (col + k * cols).update(repeating: 1, count: cols)
                            GEMM.multiply(m: outChannels, n: cols, k: k + 1, a: ap.baseAddress!, lda: k + 1,
                                          b: col, ldb: cols, c: yb + r0 * g.outWidth, ldc: pixels)
                            r0 = rows.upperBound
                        }
                    } else {
                        GEMM.multiply(m: outChannels, n: pixels, k: k, a: wp.baseAddress!, lda: k,
                                      b: xb, ldb: pixels, c: yb, ldc: pixels)
                        Parallel.forEachChunk(outChannels, elementsPerItem: pixels) { range in
                            for co in range { Elementwise.addScalar(bp[co], to: yb + co * pixels, count: pixels) }
                        }
                    }
                }
            } }
        } } }
        input = x
        return y
    }

    public func zeroGradients() {
        weightGradient = Tensor(shape: weight.shape)
        biasGradient = Tensor(shape: bias.shape)
    }

    public func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void) {
        body(&weight, weightGradient)
        body(&bias, biasGradient)
    }
}
