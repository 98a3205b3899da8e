/// Convolution weights of one VGG network: for each convolution of `architecture`, in order, a
/// kernel of shape (out, in, 3, 3) and a bias of shape (out). These are the Caffe-trained
/// ImageNet weights, so the network expects `VGGWeights.inputConvention` input.
public struct VGGWeights: Sendable {
    public struct Convolution: Sendable, Equatable {
        public let name: String
        public let outChannels: Int
        public let inChannels: Int
        /// (out, in, 3, 3), row-major.
        public let weight: [Float]
        public let bias: [Float]

        public init(name: String, outChannels: Int, inChannels: Int, weight: [Float], bias: [Float]) {
            self.name = name
            self.outChannels = outChannels
            self.inChannels = inChannels
            self.weight = weight
            self.bias = bias
        }
    }

    public let architecture: VGGArchitecture
    public let convolutions: [Convolution]

    /// The Caffe convention: channels in BGR order, values 0...255, minus the ImageNet mean.
    public static let inputConvention = "caffe-bgr-255-mean"
    /// ImageNet mean in BGR order, subtracted from 0...255 pixel values.
    public static let meanBGR: [Float] = [103.939, 116.779, 123.68]

    public init(architecture: VGGArchitecture, convolutions: [Convolution]) throws(VGGWeightsError) {
        let expected = architecture.convolutions
        guard convolutions.count == expected.count else {
            throw .wrongLayerCount(architecture: architecture.name, expected: expected.count, found: convolutions.count)
        }
        for (c, e) in zip(convolutions, expected) {
            guard c.inChannels == e.inChannels, c.outChannels == e.outChannels,
                  c.weight.count == e.outChannels * e.inChannels * 9, c.bias.count == e.outChannels else {
                throw .wrongShape(layer: e.name, expected: [e.outChannels, e.inChannels, 3, 3],
                                  found: [c.outChannels, c.inChannels, c.weight.count / max(1, c.outChannels * c.inChannels)])
            }
        }
        self.architecture = architecture
        self.convolutions = zip(convolutions, expected).map {
            Convolution(name: $1.name, outChannels: $0.outChannels, inChannels: $0.inChannels, weight: $0.weight, bias: $0.bias)
        }
    }

    /// Seeded random weights (He initialisation) for tests and benchmarks without the real file.
    public static func random(_ architecture: VGGArchitecture, seed: UInt64) -> VGGWeights {
        var state = seed
        func uniform() -> Float {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(z >> 40) / Float(1 << 24) * 2 - 1
        }
        let convs = architecture.convolutions.map { c in
            let scale = (6 / Float(c.inChannels * 9)).squareRoot()
            return Convolution(name: c.name, outChannels: c.outChannels, inChannels: c.inChannels,
                               weight: (0..<(c.outChannels * c.inChannels * 9)).map { _ in uniform() * scale },
                               bias: (0..<c.outChannels).map { _ in uniform() * 0.1 })
        }
        return try! VGGWeights(architecture: architecture, convolutions: convs)
    }
}

/// Why a set of convolution weights does not fit a VGG architecture.
public enum VGGWeightsError: Error, Equatable, CustomStringConvertible {
    case wrongLayerCount(architecture: String, expected: Int, found: Int)
    case wrongShape(layer: String, expected: [Int], found: [Int])
    case noVGGConvolutions(found: Int)
    case missingBias(layer: String)
    case onnx(ONNXError)

    public var description: String {
        switch self {
        case .wrongLayerCount(let a, let e, let f): "\(a) has \(e) convolutions, found \(f)"
        case .wrongShape(let l, let e, let f): "layer \(l) should have shape \(e), found \(f)"
        case .noVGGConvolutions(let n): "found \(n) 3x3 convolutions, which matches neither VGG-16 (13) nor VGG-19 (16) in channel order"
        case .missingBias(let l): "no bias found for convolution \(l)"
        case .onnx(let e): "\(e)"
        }
    }
}
