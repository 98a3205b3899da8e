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
        }
    }
    /// Shape `[outChannels]`.
    public var bias: Tensor {
        didSet { precondition(bias.shape == oldValue.shape, "Conv2D: bias shape changed to \(bias.shape)") }
    }
    /// Accumulated d(loss)/d(weight), shaped like `weight`.
    public private(set) var weightGradient: Tensor
    /// Accumulated d(loss)/d(bias), shaped like `bias`.
    public private(set) var biasGradient: Tensor
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


    /// At most this many output channels, a stride-1 layer runs as direct convolution (`DirectConv`)
    /// for forward and the input gradient: im2col would build Cin*k*k values per pixel for a GEMM
    /// only a few rows tall.
    public static let directMaximumOutputChannels = 4

    /// True when forward and the input gradient run as direct convolution.
    public var usesDirect: Bool {
        guard stride == 1, kernelSize > 1, !usesWinograd, algorithm != .im2col else { return false }
        return outChannels <= Conv2D.directMaximumOutputChannels
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
        let col = isPointwise ? nil : workspace.buffer(count: k * band * g.outWidth)
        x.withUnsafeBufferPointer { xp in weight.withUnsafeBufferPointer { wp in
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
                            GEMM.multiply(m: outChannels, n: cols, k: k, a: wp.baseAddress!, lda: k,
                                          b: col, ldb: cols, c: yb + r0 * g.outWidth, ldc: pixels)
                            r0 = rows.upperBound
                        }
                    } else {
                        GEMM.multiply(m: outChannels, n: pixels, k: k, a: wp.baseAddress!, lda: k,
                                      b: xb, ldb: pixels, c: yb, ldc: pixels)
                    }
                    Parallel.forEachChunk(outChannels, elementsPerItem: pixels) { range in
                        for co in range { Elementwise.addScalar(bp[co], to: yb + co * pixels, count: pixels) }
                    }
                }
            } }
        } }
        input = x
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let x = input, let g = geometry else { preconditionFailure("Conv2D: backward before forward") }
        let n = x.shape[0], k = g.patchSize, pixels = g.outPixels
        precondition(gradOutput.shape == [n, outChannels, g.outHeight, g.outWidth],
                     "Conv2D: gradient shape \(gradOutput.shape) does not match output [\(n), \(outChannels), \(g.outHeight), \(g.outWidth)]")
        let pointwise = isPointwise
        let winograd = usesWinograd, direct = usesDirect
        if winograd && winogradBackward == nil { winogradBackward = Winograd(weight: weight, transposedFlip: true) }
        if direct && directBackward == nil { directBackward = DirectConv(weight: weight, transposedFlip: true) }
        if direct && directForward == nil { directForward = DirectConv(weight: weight) }
        let wantsInput = computesInputGradient
        // col2im adds into dx; the pointwise GEMM, Winograd and direct convolution overwrite it.
        var dx = !wantsInput ? Tensor(shape: [0])
            : pointwise || winograd || direct ? Tensor(uninitializedShape: x.shape) : Tensor(shape: x.shape)
        // The direct input gradient with reflection padding is that of the padded input, folded back.
        let reflect = paddingMode == .reflect && padding > 0
        var paddedGradient = (direct || winograd) && reflect && wantsInput
            ? Tensor(uninitializedShape: [inChannels, g.height + 2 * padding, g.width + 2 * padding]) : nil
        // Winograd's adjoint with reflection needs the output gradient with a zero border of one.
        var borderedGradient = winograd && reflect && wantsInput ? Tensor(shape: [outChannels, g.outHeight + 2, g.outWidth + 2]) : nil
        let band = bandRows(g)
        let col = pointwise ? nil : workspace.buffer(count: k * band * g.outWidth)
        let params = computesParameterGradients
        x.withUnsafeBufferPointer { xp in weight.withUnsafeBufferPointer { wp in
            gradOutput.withUnsafeBufferPointer { gp in dx.withUnsafeMutableBufferPointer { dxp in
                weightGradient.withUnsafeMutableBufferPointer { dwp in biasGradient.withUnsafeMutableBufferPointer { dbp in
                    for b in 0..<n {
                        let xb = xp.baseAddress! + b * inChannels * g.height * g.width
                        let dxb = dxp.baseAddress! + b * inChannels * g.height * g.width
                        let gb = gp.baseAddress! + b * outChannels * pixels
                        if params {
                            Parallel.forEachChunk(outChannels, elementsPerItem: pixels) { range in
                                for co in range { dbp[co] += Float(Elementwise.total(gb + co * pixels, count: pixels)) }
                            }
                        }
                        guard let col else {
                            if params {
                                GEMM.multiply(transposeB: true, m: outChannels, n: k, k: pixels,
                                              a: gb, lda: pixels, b: xb, ldb: pixels,
                                              beta: 1, c: dwp.baseAddress!, ldc: k)
                            }
                            if wantsInput {
                                GEMM.multiply(transposeA: true, m: k, n: pixels, k: outChannels,
                                              a: wp.baseAddress!, lda: k, b: gb, ldb: pixels,
                                              c: dxb, ldc: pixels)
                            }
                            continue
                        }
                        if direct && wantsInput {
                            if paddedGradient != nil {
                                paddedGradient!.withUnsafeMutableBufferPointer { pg in
                                    directBackward!.run(gb, height: g.outHeight, width: g.outWidth,
                                                        padding: kernelSize - 1, mode: .zero, bias: nil,
                                                        into: pg.baseAddress!, workspace: workspace,
                                                        maxBandElements: maxColumnElements)
                                    foldReflection(pg.baseAddress!, into: dxb, geometry: g)
                                }
                            } else {
                                directBackward!.run(gb, height: g.outHeight, width: g.outWidth,
                                                    padding: kernelSize - 1 - padding, mode: .zero, bias: nil,
                                                    into: dxb, workspace: workspace, maxBandElements: maxColumnElements)
                            }
                        }
                        if winograd && wantsInput {
                            // The input gradient is the convolution of the output gradient with the
                            // flipped, transposed kernels; the weight gradient still goes by im2col.
                            // With reflection padding: the gradient of the padded input (a "full"
                            // convolution, padding 2, done as padding 1 of a zero-bordered copy),
                            // folded back onto the pixels the border mirrored.
                            if borderedGradient != nil {
                                let (oh, ow) = (g.outHeight, g.outWidth)
                                borderedGradient!.withUnsafeMutableBufferPointer { bg in
                                    paddedGradient!.withUnsafeMutableBufferPointer { pg in
                                        for co in 0..<outChannels {
                                            for y in 0..<oh {
                                                (bg.baseAddress! + (co * (oh + 2) + y + 1) * (ow + 2) + 1)
                                                    .update(from: gb + (co * oh + y) * ow, count: ow)
                                            }
                                        }
                                        winogradBackward!.run(bg.baseAddress!, height: oh + 2, width: ow + 2, bias: nil,
                                                              into: pg.baseAddress!, workspace: workspace,
                                                              maxBandElements: maxColumnElements)
                                        foldReflection(pg.baseAddress!, into: dxb, geometry: g)
                                    }
                                }
                            } else {
                                winogradBackward!.run(gb, height: g.height, width: g.width, bias: nil, into: dxb,
                                                      workspace: workspace, maxBandElements: maxColumnElements)
                            }
                        }
                        if direct && params {
                            directForward!.accumulateWeightGradient(
                                xb, height: g.height, width: g.width, padding: padding, mode: paddingMode,
                                gradOutput: gb, into: dwp.baseAddress!, workspace: workspace,
                                maxBandElements: maxColumnElements)
                        }
                        let im2colInput = wantsInput && !winograd && !direct
                        let im2colWeights = params && !direct
                        if !im2colWeights && !im2colInput { continue }
                        var r0 = 0
                        while r0 < g.outHeight {
                            let rows = r0..<min(g.outHeight, r0 + band)
                            let cols = rows.count * g.outWidth
                            let gBand = gb + r0 * g.outWidth
                            if im2colWeights {
                                g.im2col(xb, rows: rows, into: col)
                                GEMM.multiply(transposeB: true, m: outChannels, n: k, k: cols,
                                              a: gBand, lda: pixels, b: col, ldb: cols,
                                              beta: 1, c: dwp.baseAddress!, ldc: k)
                            }
                            if !im2colInput { r0 = rows.upperBound; continue }
                            GEMM.multiply(transposeA: true, m: k, n: cols, k: outChannels,
                                          a: wp.baseAddress!, lda: k, b: gBand, ldb: pixels,
                                          c: col, ldc: cols)
                            g.col2imAdd(col, rows: rows, into: dxb)
                            r0 = rows.upperBound
                        }
                    }
                } }
            } }
        } }
        return dx
    }

    /// dx = the gradient of the reflection-padded input (`padded`, channels x (h+2p) x (w+2p))
    /// folded back: each padded position adds into the pixel it mirrored.
    func foldReflection(_ padded: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, geometry g: ConvGeometry) {
        let (h, w, p) = (g.height, g.width, padding)
        let (ph, pw) = (h + 2 * p, w + 2 * p)
        func mirror(_ i: Int, _ extent: Int) -> Int { i < 0 ? -i : i >= extent ? 2 * (extent - 1) - i : i }
        Parallel.forEachChunk(inChannels, elementsPerItem: ph * pw) { range in
            for ci in range {
                let src = padded + ci * ph * pw, dst = dx + ci * h * w
                for y in 0..<h { (dst + y * w).update(from: src + (y + p) * pw + p, count: w) }
                for py in 0..<ph {
                    let iy = mirror(py - p, h)
                    let inner = py >= p && py < p + h
                    for px in 0..<pw where !inner || px < p || px >= p + w {
                        dst[iy * w + mirror(px - p, w)] += src[py * pw + px]
                    }
                }
            }
        }
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

/// Reusable scratch memory for convolution bands (im2col columns, Winograd tiles). Each slot grows
/// to its largest request and is kept, so repeated iterations allocate nothing. Not thread-safe:
/// layers that share one must not run at the same time.
public final class ConvWorkspace: @unchecked Sendable {
    private var slots: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)?] = [nil, nil, nil, nil]

    public init() {}

    /// Bytes currently held.
    public var byteCount: Int { slots.reduce(0) { $0 + ($1?.capacity ?? 0) * 4 } }

    /// At least `count` floats in slot `slot` (0..<4: 0 im2col, 1-3 Winograd), valid until the next call for that slot.
    func buffer(_ slot: Int = 0, count: Int) -> UnsafeMutablePointer<Float> {
        if let s = slots[slot], s.capacity >= count { return s.pointer }
        slots[slot]?.pointer.deallocate()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: max(1, count))
        slots[slot] = (p, count)
        return p
    }

    deinit { for s in slots { s?.pointer.deallocate() } }
}
