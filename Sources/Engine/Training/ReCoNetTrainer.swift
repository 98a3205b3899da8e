import Foundation

/// Trains a `ReCoNet` for one style by ReCoNet's two-frame scheme (Gao et al. 2018), or, with the
/// temporal weights at zero, Johnson et al.'s fast network.
///
/// One step takes a `TrainingPair`, runs both frames through the network as one batch, and
/// minimises with Adam
///
///     content  * Lc / Nc + style * Ls / Ns + tv * Ltv + outputTemporal * Lo + featureTemporal * Lf
///       + saturation * Lsat
///
/// - Lc: mean squared difference of VGG-16 relu3_3 between output and input frame (per element),
///   averaged over the two frames.
/// - Ls: for relu1_2, relu2_2, relu3_3, relu4_3, mean over the Gram matrix's entries of the squared
///   difference to the style's Gram matrix (Grams divided by the pixel count), divided by the
///   layer's normaliser (`StyleLayerNormalization`), weighted, summed over the layers and averaged
///   over the two frames (`ReCoNetStyleLoss`).
/// - Ltv: mean squared neighbour difference of the outputs scaled to 0...1.
/// - Lo, Lf: `ReCoNetTemporalLoss.output` and `ReCoNetTemporalLoss.feature`.
/// - Lsat: `ReCoNetSaturationLoss` of the values before the output's tanh.
/// - Nc, Ns: Lc and Ls of the very first batch (the untrained network). The raw terms differ by
///   orders of magnitude between layers, styles and normalisations, which is why published loss
///   weights do not transfer; dividing by the first values makes the content and style weights
///   mean "relative to where training started". They are stored in checkpoints.
public final class ReCoNetTrainer {
    /// Everything that shapes training; recorded in the model file.
    public struct Options: Sendable, Equatable {
        public var learningRate = 1e-3
        public var contentWeight = 1.0
        public var styleWeight = 5.0
        public var totalVariationWeight = 2.0
        /// 0 with `featureTemporalWeight` 0 trains Johnson et al.'s network (`--no-temporal`).
        public var outputTemporalWeight = 100.0
        public var featureTemporalWeight = 0.5
        /// 0 leaves tanh's flat ends free (every model before the blots were understood).
        public var saturationWeight = 10.0
        public var contentLayer = "relu3_3"
        public var styleLayers = ["relu1_2", "relu2_2", "relu3_3", "relu4_3"]
        /// One per style layer: each layer's share of Ls, after its normaliser.
        public var styleLayerWeights = [1.0, 1.0, 1.0, 1.0]
        /// New runs normalise each layer; a run resumed from an older file keeps that file's `.none`.
        public var styleLayerNormalization = StyleLayerNormalization.styleGram

        public init() {}

        public var isTemporal: Bool { outputTemporalWeight > 0 || featureTemporalWeight > 0 }

        /// The options as text for the model file's training settings.
        public var settings: [String: String] {
            ["learningRate": "\(learningRate)", "contentWeight": "\(contentWeight)", "styleWeight": "\(styleWeight)",
             "totalVariationWeight": "\(totalVariationWeight)", "outputTemporalWeight": "\(outputTemporalWeight)",
             "featureTemporalWeight": "\(featureTemporalWeight)", "saturationWeight": "\(saturationWeight)",
             "contentLayer": contentLayer,
             "styleLayers": styleLayers.joined(separator: ","),
             "styleLayerWeights": styleLayerWeights.map { "\($0)" }.joined(separator: ","),
             StyleLayerNormalization.settingsKey: styleLayerNormalization.rawValue,
             "normalization": "content and style divided by their first-batch values; per element / per Gram entry means; "
                + "style layers divided by \(styleLayerNormalization == .none ? "nothing" : "the mean square of the style's Gram")"]
        }
    }

    /// One step's loss terms, unweighted (content and style before normalisation), and the total
    /// that was minimised.
    public struct Losses: Sendable, Equatable {
        public var content = 0.0
        public var style = 0.0
        public var totalVariation = 0.0
        public var outputTemporal = 0.0
        public var featureTemporal = 0.0
        public var saturation = 0.0
        public var total = 0.0
    }

    public let network: ReCoNet
    public let options: Options
    let vgg: VGGNetwork
    /// Ls against the style picture's Gram matrices.
    public let styleLoss: ReCoNetStyleLoss
    public private(set) var adam: NetworkAdam
    /// Steps taken.
    public var step: Int { adam.step }
    public private(set) var contentNormalizer: Double?
    public private(set) var styleNormalizer: Double?

    /// - Parameters:
    ///   - style: the style picture, RGB 0...255 `[1, 3, h, w]`, at the size its strokes should have.
    public init(network: ReCoNet, vggWeights: VGGWeights, style: Tensor, options: Options = Options()) throws(VGGNetworkError) {
        let deepest = ([options.contentLayer] + options.styleLayers).max {
            (vggWeights.architecture.index(of: $0) ?? Int.max) < (vggWeights.architecture.index(of: $1) ?? Int.max)
        }!
        vgg = try VGGNetwork(weights: vggWeights, upTo: deepest)
        for l in [options.contentLayer] + options.styleLayers where vggWeights.architecture.index(of: l) == nil {
            throw .unknownLayer(l, architecture: vggWeights.architecture.name)
        }
        precondition(options.styleLayerWeights.count == options.styleLayers.count,
                     "ReCoNetTrainer: \(options.styleLayerWeights.count) style layer weights for \(options.styleLayers.count) layers")
        let features = vgg.forward(ReCoNetTrainer.caffe(style), capture: Set(options.styleLayers))
        styleLoss = ReCoNetStyleLoss(styleFeatures: features, layers: options.styleLayers, weights: options.styleLayerWeights,
                                     normalization: options.styleLayerNormalization)
        self.network = network
        self.options = options
        adam = NetworkAdam(learningRate: options.learningRate)
        // The frames are data: nothing needs the gradient with respect to them.
        (network.encoder.layers.first { $0 is Conv2D } as? Conv2D)?.computesInputGradient = false
    }

    /// One Adam step on `pair`; returns the terms measured before the update.
    @discardableResult
    public func train(on pair: TrainingPair) -> Losses {
        network.zeroGradients()
        let losses = evaluate(pair, backward: true)
        adam.update(network)
        return losses
    }

    /// The losses of `pair` under the current weights, without changing them.
    public func losses(of pair: TrainingPair) -> Losses { evaluate(pair, backward: false) }

    /// Sets the normalisers, before the first step, to `reference`'s losses on `pair`, so that a
    /// run from trained weights (`vst train --weights-from`) weighs its terms as the run from
    /// `reference`'s random weights would. A trained network's first Ls is far smaller (about 30x
    /// for the first starry model on its own style, 3x for Lc): dividing by it would multiply the
    /// style weight by as much, and that over-weighted style left dark blots in smooth regions.
    public func normalize(as reference: ReCoNet, on pair: TrainingPair) {
        precondition(contentNormalizer == nil && styleNormalizer == nil, "ReCoNetTrainer: normalisers are set once, before the first step")
        _ = evaluate(pair, backward: false, through: reference)
    }

    /// `through` runs the pair through another network instead (forward only: the normalisers).
    func evaluate(_ pair: TrainingPair, backward: Bool, through other: ReCoNet? = nil) -> Losses {
        precondition(other == nil || !backward, "ReCoNetTrainer: only the trained network has gradients")
        let input = pair.batch
        let net = other ?? network
        let (features, output) = net.forward(input)
        let (h, w) = (input.shape[2], input.shape[3])
        var losses = Losses()

        // Content targets first: VGG's caches must belong to the output's pass for its backward.
        let target = vgg.forward(ReCoNetTrainer.caffe(input), capture: [options.contentLayer])[options.contentLayer]!
        let captured = vgg.forward(ReCoNetTrainer.caffe(output), capture: Set(options.styleLayers + [options.contentLayer]))
        var gradients: [String: Tensor] = [:]

        // Content: mean over both frames' elements.
        let f = captured[options.contentLayer]!
        var contentGrad = f.zerosLike()
        losses.content = f.withUnsafeBufferPointer { fp in target.withUnsafeBufferPointer { tp in
            contentGrad.withUnsafeMutableBufferPointer { ContentLoss.evaluate(features: fp, target: tp, normalization: .meanSquared, gradient: $0) }
        } }
        if contentNormalizer == nil { contentNormalizer = max(losses.content, 1e-12) }
        let contentScale = Float(options.contentWeight / contentNormalizer!)
        gradients[options.contentLayer] = contentGrad * contentScale

        // Style: per frame and layer against the style's Gram; averaged over the frames. The
        // gradients are scaled afterwards: the first batch's Ls is its own normaliser.
        let style = styleLoss.evaluate(captured)
        let frames = Double(input.shape[0])
        losses.style = style.total
        if styleNormalizer == nil { styleNormalizer = max(losses.style, 1e-12) }
        let styleScale = Float(options.styleWeight / styleNormalizer!)
        for (l, g) in style.gradients {
            gradients[l] = gradients[l].map { $0 + g * styleScale } ?? g * styleScale
        }

        var outputGrad = Tensor(shape: output.shape)
        if backward {
            outputGrad = GatysImage.swappingRedAndBlue(vgg.backward(gradients))
        }

        // Total variation on the 0...1 outputs, per element.
        let tvScale: Float = 1 / (255 * 255)
        var tvGrad = [Float](repeating: 0, count: output.count)
        let plane = 3 * h * w
        output.withUnsafeBufferPointer { op in tvGrad.withUnsafeMutableBufferPointer { gp in
            for b in 0..<input.shape[0] {
                let image = UnsafeBufferPointer(rebasing: op[(b * plane)..<((b + 1) * plane)])
                let grad = UnsafeMutableBufferPointer(rebasing: gp[(b * plane)..<((b + 1) * plane)])
                losses.totalVariation += TotalVariationLoss.evaluate(image: image, channels: 3, height: h, width: w,
                                                                     weight: Float(options.totalVariationWeight / frames) * tvScale,
                                                                     gradient: grad) * Double(tvScale) / frames
            }
        } }
        outputGrad += Tensor(shape: output.shape, scalars: tvGrad)

        var featureGrad: Tensor?
        if options.isTemporal {
            let o = ReCoNetTrainer.split(output), fm = ReCoNetTrainer.split(features)
            let ot = ReCoNetTemporalLoss.output(previous: o.0, current: o.1, previousInput: pair.previous, currentInput: pair.current,
                                         flow: pair.flow, mask: pair.mask)
            let ft = ReCoNetTemporalLoss.feature(previous: fm.0, current: fm.1, flow: pair.flow, mask: pair.mask)
            losses.outputTemporal = ot.loss
            losses.featureTemporal = ft.loss
            outputGrad += ReCoNetTrainer.join(ot.previousGradient, ot.currentGradient) * Float(options.outputTemporalWeight)
            featureGrad = ReCoNetTrainer.join(ft.previousGradient, ft.currentGradient) * Float(options.featureTemporalWeight)
        }
        var mappingGrad: Tensor?
        if options.saturationWeight > 0, let y = net.mappingInput {
            let sat = ReCoNetSaturationLoss.evaluate(y)
            losses.saturation = sat.loss
            mappingGrad = sat.gradient * Float(options.saturationWeight)
        }
        losses.total = options.contentWeight * losses.content / contentNormalizer!
            + options.styleWeight * losses.style / styleNormalizer!
            + options.totalVariationWeight * losses.totalVariation
            + options.outputTemporalWeight * losses.outputTemporal
            + options.featureTemporalWeight * losses.featureTemporal
            + options.saturationWeight * losses.saturation
        if backward {
            network.backward(outputGradient: outputGrad, featureGradient: featureGrad, mappingInputGradient: mappingGrad)
        }
        return losses
    }

    /// Restores the step, the normalisers and the optimiser state of a checkpoint (the weights are
    /// the network's business: load them into `network` first, or build it with
    /// `StyleModelFile.makeNetwork()`). A model file, which has no optimiser state, restores the
    /// step and normalisers and starts Adam's moments afresh (`vst train --from`).
    public func restore(from file: StyleModelFile) throws(StyleModelFileError) {
        let t = file.metadata.training
        guard let c = t["contentNormalizer"].flatMap(Double.init), let s = t["styleNormalizer"].flatMap(Double.init) else {
            throw .badMetadata("checkpoint has no loss normalisers")
        }
        // The stored style normaliser is a value of Ls, which means something else under another mode.
        let recorded = StyleLayerNormalization.recorded(in: t)
        guard recorded == options.styleLayerNormalization else {
            throw .badMetadata("checkpoint was trained with style layer normalisation \(t[StyleLayerNormalization.settingsKey] ?? "none"), not \(options.styleLayerNormalization.rawValue)")
        }
        var restored = NetworkAdam(learningRate: options.learningRate)
        restored.step = file.metadata.step
        if file.tensor(named: "adam.m.0") != nil {
            // Checkpoints from before `adamSteps` was written never restarted their moments.
            restored.momentSteps = t["adamSteps"].flatMap(Int.init) ?? file.metadata.step
            let count = network.parameters.count
            for k in 0..<count {
                guard let m = file.tensor(named: "adam.m.\(k)"), let v = file.tensor(named: "adam.v.\(k)") else {
                    throw .missingTensor("adam.m.\(k)")
                }
                restored.firstMoments.append(m)
                restored.secondMoments.append(v)
            }
        }
        contentNormalizer = c
        styleNormalizer = s
        adam = restored
    }

    /// A checkpoint: the model file plus the optimiser state and normalisers.
    public func checkpoint(styleName: String, settings: [String: String]) -> StyleModelFile {
        var training = options.settings.merging(settings) { _, new in new }
        if let c = contentNormalizer { training["contentNormalizer"] = "\(c)" }
        if let s = styleNormalizer { training["styleNormalizer"] = "\(s)" }
        training["adamSteps"] = "\(adam.momentSteps)"
        training["styleLayerNormalizers"] = styleLoss.layers.map { "\($0)=\(styleLoss.normalizers[$0]!)" }.joined(separator: ",")
        var file = StyleModelFile(network: network, styleName: styleName, step: step, training: training)
        for (k, (m, v)) in zip(adam.firstMoments, adam.secondMoments).enumerated() {
            file.tensors.append(("adam.m.\(k)", m))
            file.tensors.append(("adam.v.\(k)", v))
        }
        return file
    }

    /// RGB 0...255 frames `[n, 3, h, w]` -> VGG's Caffe input (BGR minus the ImageNet mean).
    static func caffe(_ rgb: Tensor) -> Tensor {
        var y = GatysImage.swappingRedAndBlue(rgb)
        let plane = rgb.shape[2] * rgb.shape[3]
        y.withUnsafeMutableBufferPointer { p in
            for b in 0..<rgb.shape[0] { for c in 0..<3 {
                let mean = VGGWeights.meanBGR[c], o = (b * 3 + c) * plane
                for i in 0..<plane { p[o + i] -= mean }
            } }
        }
        return y
    }

    /// A batch of two `[2, c, h, w]` as its two `[1, c, h, w]` items.
    static func split(_ t: Tensor) -> (Tensor, Tensor) {
        let s = t.scalars, half = t.count / 2
        let shape = [1] + t.shape.dropFirst()
        return (Tensor(shape: shape, scalars: Array(s[..<half])), Tensor(shape: shape, scalars: Array(s[half...])))
    }

    static func join(_ a: Tensor, _ b: Tensor) -> Tensor {
        Tensor(shape: [2] + a.shape.dropFirst(), scalars: a.scalars + b.scalars)
    }
}
