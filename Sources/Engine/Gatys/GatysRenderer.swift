/// Neural style transfer by optimisation (Gatys, Ecker, Bethge 2016): the image is changed until
/// its VGG features at `contentLayers` match the content photo and the Gram matrices of its
/// features at `styleLayers` match the style images', by L-BFGS or Adam on the pixels.
///
/// Made once per style (and per job), then called once per frame: `render(content:initial:...)`.
/// The style targets are computed in `init`; each `render` computes the content target of its
/// frame, starts from `initial` (a warped previous output, for video) and runs `iterations`
/// optimiser iterations. An `extraLoss` hook adds terms the renderer does not know, such as the
/// temporal loss of Ruder et al. 2016. Not thread-safe: one render at a time per renderer.
///
/// Images are `GatysImage` tensors: [1, 3, h, w], RGB, 0...255.
public final class GatysRenderer {
    /// One style image and its share of the blended style targets.
    public struct Style {
        public var image: Tensor
        public var weight: Double
        public init(image: Tensor, weight: Double = 1) { self.image = image; self.weight = weight }
    }

    /// The loss terms of one evaluation, already multiplied by their weights except where noted.
    public struct Losses: Sendable, Equatable {
        public var total: Double = 0
        /// Unweighted content loss (sum over content layers).
        public var content: Double = 0
        /// Unweighted style loss (sum over style layers, with layer weights).
        public var style: Double = 0
        /// Unweighted total variation.
        public var totalVariation: Double = 0
        /// What `extraLoss` returned.
        public var extra: Double = 0

        /// All zero: the losses of a frame that was not optimised.
        public init() {}
    }

    public struct Result {
        /// RGB 0...255, clamped.
        public var image: Tensor
        public var iterations: Int
        public var evaluations: Int
        public var initial: Losses
        public var final: Losses
    }

    /// Adds a loss on the image (RGB 0...255, [1, 3, h, w]); returns its weighted value and adds
    /// its gradient with respect to the image into `gradient`.
    public typealias ExtraLoss = (_ image: Tensor, _ gradient: inout Tensor) -> Double
    /// Called after each iteration; return false to stop early.
    public typealias Progress = (_ iteration: Int, _ losses: Losses) -> Bool

    public let options: GatysOptions
    let network: VGGNetwork
    /// Blended style Gram matrices per style layer (channels x channels).
    let styleTargets: [String: [Float]]
    let styleLayerWeight: Double
    /// Smallest width and height that leave the deepest layer at least one pixel.
    public let minimumSide: Int

    /// - Parameters:
    ///   - styles: one or more style images (RGB 0...255, already at the scale wanted), blended
    ///     by weight: each layer's target is the weighted mean of their Gram matrices.
    public init(weights: VGGWeights, options: GatysOptions, styles: [Style]) throws(GatysError) {
        guard !styles.isEmpty else { throw .noStyle }
        guard !options.contentLayers.isEmpty || !options.styleLayers.isEmpty else { throw .noLayers }
        let totalWeight = styles.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0, styles.allSatisfy({ $0.weight >= 0 }) else { throw .badStyleWeights }
        let deepest = weights.architecture.layers.map(\.name).last { options.allLayers.contains($0) }
        for name in options.allLayers where weights.architecture.index(of: name) == nil {
            throw .unknownLayer(name)
        }
        do throws(VGGNetworkError) {
            network = try VGGNetwork(weights: weights, upTo: deepest!)
        } catch { throw .unknownLayer(deepest!) }
        self.options = options
        minimumSide = 1 << weights.architecture.poolsBefore(weights.architecture.index(of: deepest!)!)
        for style in styles where style.image.shape.count != 4 || style.image.shape[1] != 3 {
            throw .badImageShape(style.image.shape)
        }
        for style in styles where min(style.image.shape[2], style.image.shape[3]) < minimumSide {
            throw .imageTooSmall(width: style.image.shape[3], height: style.image.shape[2], minimum: minimumSide)
        }
        styleLayerWeight = options.normalization == .gatys ? 1 / Double(max(1, options.styleLayers.count)) : 1

        var targets: [String: [Float]] = [:]
        for style in styles {
            let share = Float(style.weight / totalWeight)
            let acts = network.forward(GatysImage.toCaffe(style.image), capture: Set(options.styleLayers))
            for name in options.styleLayers {
                let f = acts[name]!
                let (c, p) = (f.shape[1], f.shape[2] * f.shape[3])
                let gram = f.withUnsafeBufferPointer { Gram.compute(Array($0), channels: c, pixels: p) }
                if let old = targets[name] {
                    targets[name] = zip(old, gram).map { $0 + share * $1 }
                } else {
                    targets[name] = gram.map { share * $0 }
                }
            }
        }
        styleTargets = targets
    }

    /// Renders one frame.
    /// - Parameters:
    ///   - content: the frame, RGB 0...255, [1, 3, h, w].
    ///   - initial: the starting image (same shape), e.g. the content, noise or the previous
    ///     output warped by the flow; nil starts from the content.
    ///   - iterations: optimiser iterations (an L-BFGS iteration may evaluate more than once); the
    ///     most it runs when `stop` is given.
    ///   - stop: stops the render once the total loss has stopped moving (nil: run `iterations`).
    ///   - memory: L-BFGS's curvature pairs to start from, left holding this render's (a video
    ///     chain's frames pass them on); ignored by Adam.
    public func render(content: Tensor, initial: Tensor? = nil, iterations: Int, stop: LossPlateau? = nil,
                       extraLoss: ExtraLoss? = nil, memory: LBFGS.Memory? = nil, progress: Progress? = nil) throws(GatysError) -> Result {
        guard content.shape.count == 4, content.shape[0] == 1, content.shape[1] == 3 else {
            throw .badImageShape(content.shape)
        }
        guard min(content.shape[2], content.shape[3]) >= minimumSide else {
            throw .imageTooSmall(width: content.shape[3], height: content.shape[2], minimum: minimumSide)
        }
        if let initial, initial.shape != content.shape { throw .initialShapeMismatch(content: content.shape, initial: initial.shape) }
        let shape = content.shape
        let contentCaffe = GatysImage.toCaffe(content)
        let contentTargets = network.forward(contentCaffe, capture: Set(options.contentLayers))
        var last = Losses()
        let objective: Objective = { x, gradient in
            let (losses, g) = self.evaluate(Tensor(shape: shape, scalars: x), contentTargets: contentTargets, extraLoss: extraLoss)
            last = losses
            g.withUnsafeBufferPointer { gradient = Array($0) }
            return losses.total
        }
        var x = GatysImage.toCaffe(initial ?? content).scalars
        var first: Losses?
        var plateau = stop
        // The plateau watches the optimiser's own loss (that of the accepted point), not that of
        // the last evaluation, which a line search may have rejected.
        let report: OptimizerProgress = { i, f in
            let going = progress?(i, last) ?? true
            guard plateau != nil else { return going }
            if i == 1, let first { plateau!.start(first.total) }
            return plateau!.reached(f) ? false : going
        }
        let wrapped: Objective = { x, g in
            let v = objective(x, &g)
            if first == nil { first = last }
            return v
        }
        // The optimisers keep the picture inside 0...255: what a render delivers is an 8-bit
        // picture, so the losses it reports must be those of a picture that holds. Unbounded, 200
        // L-BFGS iterations on a film frame overshot so far that the saved (clamped) picture's
        // style loss was 1.5x the reported one (docs/benchmarks.md, Gatys). Minimising the loss of
        // the clamped picture instead leaves overshooting pixels stuck where its gradient is zero.
        let bounds = GatysImage.caffeBounds(count: x.count, plane: shape[2] * shape[3])
        let result: OptimizationResult
        switch options.optimizer {
        case .lbfgs(let history):
            var lbfgs = LBFGS(historySize: history)
            lbfgs.bounds = bounds
            result = lbfgs.minimize(&x, iterations: iterations, objective: wrapped, memory: memory, progress: report)
        case .adam(let rate):
            var adam = Adam(learningRate: rate)
            adam.bounds = bounds
            result = adam.minimize(&x, iterations: iterations, objective: wrapped, progress: report)
        }
        let image = GatysImage.clamped(GatysImage.fromCaffe(Tensor(shape: shape, scalars: x)))
        return Result(image: image, iterations: result.iterations, evaluations: result.evaluations,
                      initial: first ?? last, final: last)
    }

    /// The losses at `x` (Caffe space) and their gradient with respect to `x`.
    func evaluate(_ x: Tensor, contentTargets: [String: Tensor], extraLoss: ExtraLoss?) -> (Losses, Tensor) {
        let o = options
        let acts = network.forward(x, capture: o.allLayers)
        var grads: [String: Tensor] = [:]
        var losses = Losses()
        for name in o.contentLayers {
            let f = acts[name]!, target = contentTargets[name]!
            var g = Tensor(shape: f.shape)
            let l = f.withUnsafeBufferPointer { fp in target.withUnsafeBufferPointer { tp in
                g.withUnsafeMutableBufferPointer { ContentLoss.evaluate(features: fp, target: tp, normalization: o.normalization, gradient: $0) }
            } }
            losses.content += l
            grads[name] = g * Float(o.contentWeight)
        }
        for name in o.styleLayers {
            let f = acts[name]!
            let (c, p) = (f.shape[1], f.shape[2] * f.shape[3])
            let weight = Float(o.styleWeight * styleLayerWeight)
            let accumulate = grads[name] != nil
            // A fresh gradient is written whole by the GEMM (beta 0): no need to zero it first.
            var g = grads[name] ?? Tensor(uninitializedShape: f.shape)
            var scratch = [Float](repeating: 0, count: c * c)
            let l = f.withUnsafeBufferPointer { fp in styleTargets[name]!.withUnsafeBufferPointer { tp in
                g.withUnsafeMutableBufferPointer { gp in scratch.withUnsafeMutableBufferPointer { sp in
                    StyleLoss.evaluate(features: fp.baseAddress!, channels: c, pixels: p, targetGram: tp.baseAddress!,
                                       normalization: o.normalization, weight: weight, accumulate: accumulate,
                                       gradient: gp.baseAddress!, scratch: sp.baseAddress!)
                } }
            } }
            losses.style += styleLayerWeight * l
            grads[name] = g
        }
        var dx = network.backward(grads)
        if o.totalVariationWeight > 0 {
            let (h, w) = (x.shape[2], x.shape[3])
            losses.totalVariation = x.withUnsafeBufferPointer { xp in dx.withUnsafeMutableBufferPointer {
                TotalVariationLoss.evaluate(image: xp, channels: 3, height: h, width: w,
                                            weight: Float(o.totalVariationWeight), gradient: $0)
            } }
        }
        if let extraLoss {
            // The hook sees RGB; the map to Caffe space only permutes channels and shifts, so the
            // gradient comes back by the same permutation.
            var g = Tensor(shape: x.shape)
            losses.extra = extraLoss(GatysImage.fromCaffe(x), &g)
            dx += GatysImage.swappingRedAndBlue(g)
        }
        losses.total = o.contentWeight * losses.content + o.styleWeight * losses.style
            + o.totalVariationWeight * losses.totalVariation + losses.extra
        return (losses, dx)
    }
}

/// Why a Gatys render cannot start.
public enum GatysError: Error, Equatable, CustomStringConvertible {
    case noStyle
    case noLayers
    case badStyleWeights
    case unknownLayer(String)
    case badImageShape([Int])
    case initialShapeMismatch(content: [Int], initial: [Int])
    case blendWeightCount(styles: Int, weights: Int)
    case imageTooSmall(width: Int, height: Int, minimum: Int)
    case badStyleScale(Double)

    public var description: String {
        switch self {
        case .noStyle: "no style image given"
        case .noLayers: "no content or style layer given"
        case .badStyleWeights: "style weights must be non-negative and not all zero"
        case .unknownLayer(let l): "unknown VGG layer \(l) (use reluB_C, convB_C or poolB)"
        case .badImageShape(let s): "image must be [1, 3, height, width], got \(s)"
        case .initialShapeMismatch(let c, let i): "initial image \(i) does not match the content \(c)"
        case .imageTooSmall(let w, let h, let m): "a \(w)x\(h) image is too small for these VGG layers (at least \(m)x\(m))"
        case .blendWeightCount(let s, let w): "\(w) style weights for \(s) style images"
        case .badStyleScale(let s): "style scale must be a positive number, got \(s)"
        }
    }
}
