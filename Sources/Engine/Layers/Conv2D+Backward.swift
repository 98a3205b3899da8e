/// The backward pass: the input gradient by the same algorithm as forward (the adjoint
/// convolution for Winograd and direct, col2im for im2col), the weight gradient likewise
/// (Winograd-domain GEMMs, `DirectConv`'s register-blocked sums, or im2col + GEMM), the bias
/// gradient by summing.
extension Conv2D {
    public func backward(_ gradOutput: Tensor) -> Tensor {
        guard let x = input, let g = geometry else { preconditionFailure("Conv2D: backward before forward") }
        let n = x.shape[0], k = g.patchSize, pixels = g.outPixels
        precondition(gradOutput.shape == [n, outChannels, g.outHeight, g.outWidth],
                     "Conv2D: gradient shape \(gradOutput.shape) does not match output [\(n), \(outChannels), \(g.outHeight), \(g.outWidth)]")
        let pointwise = isPointwise
        let winograd = usesWinograd, direct = usesDirectBackward
        if winograd && winogradBackward == nil { winogradBackward = Winograd(weight: weight, transposedFlip: true) }
        if direct && directBackward == nil { directBackward = DirectConv(weight: weight, transposedFlip: true) }
        if direct && directForward == nil { directForward = DirectConv(weight: weight) }
        if winograd && winogradForward == nil { winogradForward = Winograd(weight: weight) }
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
        // Winograd's weight gradient pays once an image has enough tiles to amortise the 36
        // point GEMMs and the per-kernel transform back (measured, 512 channels, one thread:
        // 41 ms vs im2col's 28 ms at 32x18, 67 ms vs 111 ms at 64x36).
        let winogradWeights = winograd && params && pixels >= Conv2D.winogradWeightGradientMinimumPixels
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
                        if winogradWeights {
                            winogradForward!.accumulateWeightGradient(
                                xb, gradOutput: gb, height: g.height, width: g.width, reflect: reflect,
                                into: dwp.baseAddress!, workspace: workspace, maxBandElements: maxColumnElements)
                        }
                        let im2colInput = wantsInput && !winograd && !direct
                        let im2colWeights = params && !direct && !winogradWeights
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
}
