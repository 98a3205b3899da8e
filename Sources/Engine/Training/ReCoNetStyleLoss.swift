/// The ReCoNet trainer's style term over several VGG layers:
///
///     Ls = sum over layers l of  w_l * mean over the batch's frames of  E_l / N_l
///
/// with E_l the per-entry Gram loss of `StyleLoss` (`.meanSquared`), w_l the layer's weight and N_l
/// its normaliser (`StyleLayerNormalization`). Each layer's share of Ls is `contributions[l]`, so a
/// log or a test can see that every layer counts as its weight says.
public struct ReCoNetStyleLoss: Sendable {
    public let layers: [String]
    public let weights: [Double]
    public let normalization: StyleLayerNormalization
    /// Per layer, the style picture's Gram matrix.
    let targets: [String: [Float]]
    /// Per layer, N_l (1 with `.none`).
    public let normalizers: [String: Double]

    /// One evaluation: the total, each layer's weighted, normalised share of it, and the gradient
    /// with respect to each layer's features.
    public struct Evaluation {
        public var total: Double
        public var contributions: [String: Double]
        public var gradients: [String: Tensor]
    }

    /// - Parameters:
    ///   - styleFeatures: per layer, the style picture's features `[1, c, h, w]`.
    ///   - weights: one per layer, in `layers`' order.
    public init(styleFeatures: [String: Tensor], layers: [String], weights: [Double], normalization: StyleLayerNormalization) {
        precondition(weights.count == layers.count, "ReCoNetStyleLoss: \(weights.count) weights for \(layers.count) layers")
        var targets: [String: [Float]] = [:], normalizers: [String: Double] = [:]
        for l in layers {
            guard let f = styleFeatures[l] else { preconditionFailure("ReCoNetStyleLoss: no style features for \(l)") }
            let gram = Gram.compute(f.scalars, channels: f.shape[1], pixels: f.shape[2] * f.shape[3])
            targets[l] = gram
            switch normalization {
            case .none: normalizers[l] = 1
            case .styleGram:
                let meanSquare = gram.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(gram.count)
                normalizers[l] = max(meanSquare, 1e-12)  // a black style picture's Gram is 0
            }
        }
        self.layers = layers; self.weights = weights; self.normalization = normalization
        self.targets = targets; self.normalizers = normalizers
    }

    /// Ls for `features` (per layer `[n, c, h, w]`, n frames); the gradients are of
    /// `gradientScale * Ls`.
    public func evaluate(_ features: [String: Tensor], gradientScale: Float = 1) -> Evaluation {
        var result = Evaluation(total: 0, contributions: [:], gradients: [:])
        for (l, weight) in zip(layers, weights) {
            guard let x = features[l] else { preconditionFailure("ReCoNetStyleLoss: no features for \(l)") }
            let (frames, c, pixels) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
            let scale = weight / normalizers[l]! / Double(frames)
            var g = x.zerosLike()
            var scratch = [Float](repeating: 0, count: c * c)
            var sum = 0.0
            x.withUnsafeBufferPointer { xp in targets[l]!.withUnsafeBufferPointer { tp in
                g.withUnsafeMutableBufferPointer { gp in scratch.withUnsafeMutableBufferPointer { sp in
                    for b in 0..<frames {
                        sum += StyleLoss.evaluate(features: xp.baseAddress! + b * c * pixels, channels: c, pixels: pixels,
                                                  targetGram: tp.baseAddress!, normalization: .meanSquared,
                                                  weight: Float(scale) * gradientScale, accumulate: false,
                                                  gradient: gp.baseAddress! + b * c * pixels, scratch: sp.baseAddress!)
                    }
                } }
            } }
            result.contributions[l] = sum * scale
            result.total += sum * scale
            result.gradients[l] = g
        }
        return result
    }
}
