/// ReCoNet (Gao et al. 2018): a feed-forward stylisation network, one fixed style per set of weights.
///
/// Layout (widths w1, w2, w3 = 48, 96, 192 for the paper's model):
///
///     encoder: conv 9x9 s1 -> w1, conv 3x3 s2 -> w2, conv 3x3 s2 -> w3,
///              residual blocks x4 at w3 (conv 3x3, IN, ReLU, conv 3x3, IN, plus the input)
///     decoder: nearest x2 + conv 3x3 -> w2, nearest x2 + conv 3x3 -> w1, conv 9x9 -> 3
///
/// Every convolution but the last is followed by instance normalisation and ReLU (inside a
/// residual block the second one has no ReLU, as in Johnson et al. 2016, so the block can output
/// negative corrections); every convolution pads by reflection, so frame borders get no dark rim.
/// The encoder's output (after the residual blocks) is the feature map the temporal feature loss
/// compares between frames.
///
/// Input and output mapping (`ReCoNet.inputScale`, `OutputMapping`): frames enter as RGB 0...255 in a
/// `[n, 3, h, w]` tensor and are mapped to [-1, 1] (x / 127.5 - 1) so the first convolution's
/// default initialisation sees unit-range values; the final convolution's output y becomes
/// RGB 0...255 through 127.5 * (1 + tanh(y)), so every output is a valid pixel and the
/// network never needs clamping during training.
///
/// Sizes: the two stride-2 convolutions round up (ceil(h / 4) feature rows), and the decoder's
/// upsampling gives back 4 * ceil(h / 4); any excess rows and columns are cropped (and get zero
/// gradient), so any frame size works, multiples of 4 without waste.
public final class ReCoNet {
    /// The network's shape: widths of the three encoder stages and the residual block count.
    public struct Configuration: Sendable, Equatable, Codable {
        public var widths: [Int]
        public var residualBlocks: Int

        /// The paper's model: 48, 96, 192 and four residual blocks.
        public static let paper = Configuration(widths: [48, 96, 192], residualBlocks: 4)

        public init(widths: [Int], residualBlocks: Int) {
            self.widths = widths
            self.residualBlocks = residualBlocks
        }

        /// Whether the configuration describes a buildable network.
        public var isValid: Bool { widths.count == 3 && widths.allSatisfy { $0 > 0 && $0 <= 4096 } && (0...64).contains(residualBlocks) }
    }

    public let configuration: Configuration
    /// Input mapping -> ... -> residual blocks.
    public let encoder: Sequential
    /// Upsampling convolutions -> final convolution -> output mapping.
    public let decoder: Sequential
    var inputShape: [Int]?
    var decodedShape: [Int]?

    /// A network with PyTorch-style random initial weights from `rng` (instance norms start at the
    /// identity). Load trained weights with `load(_:)`.
    public init<G: RandomNumberGenerator>(configuration: Configuration = .paper, using rng: inout G) {
        precondition(configuration.isValid, "ReCoNet: invalid configuration \(configuration)")
        self.configuration = configuration
        let (w1, w2, w3) = (configuration.widths[0], configuration.widths[1], configuration.widths[2])
        // One workspace for every convolution: the layers never run concurrently.
        let workspace = ConvWorkspace()
        func conv(_ i: Int, _ o: Int, _ k: Int, stride: Int = 1) -> Conv2D {
            let c = Conv2D(inChannels: i, outChannels: o, kernelSize: k, stride: stride, padding: k / 2,
                           paddingMode: .reflect, workspace: workspace)
            c.initialize(using: &rng)
            return c
        }
        func block(_ i: Int, _ o: Int, _ k: Int, stride: Int = 1) -> [Layer] {
            [conv(i, o, k, stride: stride), InstanceNorm(channels: o), ReLU()]
        }
        var enc: [Layer] = [InputMapping()]
        enc += block(3, w1, 9) + block(w1, w2, 3, stride: 2) + block(w2, w3, 3, stride: 2)
        for _ in 0..<configuration.residualBlocks {
            enc.append(Residual(Sequential([conv(w3, w3, 3), InstanceNorm(channels: w3), ReLU(),
                                            conv(w3, w3, 3), InstanceNorm(channels: w3)])))
        }
        var dec: [Layer] = [Upsample(factor: 2)] + block(w3, w2, 3)
        dec += [Upsample(factor: 2)] + block(w2, w1, 3)
        dec += [conv(w1, 3, 9), OutputMapping()]
        encoder = Sequential(enc)
        decoder = Sequential(dec)
    }

    /// Runs the network on RGB 0...255 frames `[n, 3, h, w]`; returns the encoder's feature map
    /// `[n, w3, ceil(h/4), ceil(w/4)]` and the stylised frames (RGB 0...255, same shape as `x`).
    public func forward(_ x: Tensor) -> (features: Tensor, output: Tensor) {
        precondition(x.shape.count == 4 && x.shape[1] == 3 && x.shape[2] > 0 && x.shape[3] > 0,
                     "ReCoNet: expected [n, 3, h, w], got \(x.shape)")
        let features = encoder.forward(x)
        let decoded = decoder.forward(features)
        inputShape = x.shape
        decodedShape = decoded.shape
        return (features, ReCoNet.crop(decoded, to: x.shape))
    }

    /// Stylises frames: `forward(_:).output`, computed for inference. Each nearest upsampling
    /// and the convolution after it run fused at the lower resolution
    /// (`Conv2D.forwardAfterNearestUpsample`, 2.25x fewer multiply-adds), and nothing is kept for
    /// `backward`.
    public func stylize(_ x: Tensor) -> Tensor {
        precondition(x.shape.count == 4 && x.shape[1] == 3 && x.shape[2] > 0 && x.shape[3] > 0,
                     "ReCoNet: expected [n, 3, h, w], got \(x.shape)")
        var y = encoder.forward(x)
        let layers = decoder.layers
        var i = 0
        while i < layers.count {
            if let conv = ReCoNet.fusedConvolution(in: layers, at: i) {
                y = conv.forwardAfterNearestUpsample(y)
                i += 2
            } else {
                y = layers[i].forward(y)
                i += 1
            }
        }
        return ReCoNet.crop(y, to: x.shape)
    }

    /// The convolution that `layers[i]`, a nearest x2 upsampling, feeds, when the two run fused
    /// (`Conv2D.fusesNearestUpsample`); nil otherwise. `stylize` and the layer profile both ask.
    static func fusedConvolution(in layers: [Layer], at i: Int) -> Conv2D? {
        guard let up = layers[i] as? Upsample, up.factor == 2, i + 1 < layers.count,
              let conv = layers[i + 1] as? Conv2D, conv.fusesNearestUpsample else { return nil }
        return conv
    }

    /// Back-propagates the gradient with respect to the last `forward`'s output, plus optionally one
    /// with respect to its encoder features (the feature temporal loss) and one with respect to
    /// `mappingInput` (the saturation penalty), accumulating every parameter's gradient; returns
    /// the gradient with respect to the input frames.
    @discardableResult
    public func backward(outputGradient: Tensor, featureGradient: Tensor? = nil, mappingInputGradient: Tensor? = nil) -> Tensor {
        guard let inputShape, let decodedShape else { preconditionFailure("ReCoNet: backward before forward") }
        precondition(outputGradient.shape == inputShape, "ReCoNet: output gradient \(outputGradient.shape) != \(inputShape)")
        // The decoder's layers one by one, so that a mapping input gradient joins below the output
        // mapping, where tanh's slope has not scaled it away.
        let layers = decoder.layers
        var g = layers.last!.backward(ReCoNet.padWithZeros(outputGradient, to: decodedShape))
        if let mappingInputGradient {
            precondition(mappingInputGradient.shape == decodedShape, "ReCoNet: mapping input gradient \(mappingInputGradient.shape) != \(decodedShape)")
            g += mappingInputGradient
        }
        for layer in layers.dropLast().reversed() { g = layer.backward(g) }
        if let featureGradient {
            precondition(featureGradient.shape == g.shape, "ReCoNet: feature gradient \(featureGradient.shape) != \(g.shape)")
            g += featureGradient
        }
        return encoder.backward(g)
    }

    /// The last convolution's output y of the latest `forward` (the output is 127.5 (1 + tanh(y))),
    /// uncropped: `[n, 3, 4 ceil(h/4), 4 ceil(w/4)]`. `backward`'s `mappingInputGradient` is a
    /// gradient with respect to it.
    public var mappingInput: Tensor? { (decoder.layers.last as? OutputMapping)?.input }

    public func zeroGradients() {
        encoder.zeroGradients()
        decoder.zeroGradients()
    }

    /// Visits every trainable tensor with its accumulated gradient, encoder first, in a fixed order.
    public func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void) {
        encoder.updateParameters(body)
        decoder.updateParameters(body)
    }

    /// The trainable tensors in `updateParameters` order.
    public var parameters: [Tensor] {
        var out: [Tensor] = []
        updateParameters { value, _ in out.append(value) }
        return out
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Replaces every trainable tensor, in `parameters` order.
    public func load(_ values: [Tensor]) throws(ReCoNetError) {
        let current = parameters
        guard values.count == current.count else { throw .parameterCount(expected: current.count, got: values.count) }
        for (i, (v, c)) in zip(values, current).enumerated() where v.shape != c.shape {
            throw .parameterShape(index: i, expected: c.shape, got: v.shape)
        }
        var i = 0
        updateParameters { value, _ in value = values[i]; i += 1 }
    }

    /// Multiply-adds times two of the convolutions in one forward pass over `[1, 3, h, w]`.
    public func flops(height: Int, width: Int) -> Double {
        var total = 0.0
        var shape = [1, 3, height, width]
        func visit(_ layer: Layer) {
            switch layer {
            case let c as Conv2D: total += c.flops(for: shape); shape = c.outputShape(for: shape)
            case let u as Upsample: shape = [shape[0], shape[1], shape[2] * u.factor, shape[3] * u.factor]
            case let s as Sequential: s.layers.forEach(visit)
            case let r as Residual: let before = shape; visit(r.body); shape = before
            default: break
            }
        }
        visit(encoder)
        visit(decoder)
        return total
    }

    static func crop(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (shape[2], shape[3])
        var y = Tensor(shape: [n, c, oh, ow])
        x.withUnsafeBufferPointer { s in y.withUnsafeMutableBufferPointer { d in
            for p in 0..<(n * c) { for r in 0..<oh {
                (d.baseAddress! + (p * oh + r) * ow).update(from: s.baseAddress! + (p * h + r) * w, count: ow)
            } }
        } }
        return y
    }

    static func padWithZeros(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (shape[2], shape[3])
        var y = Tensor(shape: [n, c, oh, ow])
        x.withUnsafeBufferPointer { s in y.withUnsafeMutableBufferPointer { d in
            for p in 0..<(n * c) { for r in 0..<h {
                (d.baseAddress! + (p * oh + r) * ow).update(from: s.baseAddress! + (p * h + r) * w, count: w)
            } }
        } }
        return y
    }
}

public enum ReCoNetError: Error, Equatable, CustomStringConvertible {
    case parameterCount(expected: Int, got: Int)
    case parameterShape(index: Int, expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case .parameterCount(let e, let g): "ReCoNet expects \(e) parameter tensors, got \(g)"
        case .parameterShape(let i, let e, let g): "ReCoNet parameter \(i) should be \(e), got \(g)"
        }
    }
}
