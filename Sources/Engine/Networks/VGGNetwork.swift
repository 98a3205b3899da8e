/// A VGG feature extractor built from `Conv2D`, `ReLU` and `MaxPool2D`, cut after the deepest
/// layer a caller needs (Gatys stops at relu5_1 and never runs conv5_2 onwards).
///
/// It only ever differentiates with respect to its input: convolutions skip weight gradients,
/// and all of them share one column workspace (they never run at the same time).
/// Input: [n, 3, h, w] in the weights' convention (Caffe: BGR, 0...255 minus the ImageNet mean).
public final class VGGNetwork {
    public let architecture: VGGArchitecture
    /// Names of the layers kept, in order (a prefix of `architecture.layers`).
    public let layerNames: [String]
    let layers: [Layer]

    /// - Parameter lastLayer: the deepest layer kept, e.g. "relu5_1".
    public init(weights: VGGWeights, upTo lastLayer: String) throws(VGGNetworkError) {
        let architecture = weights.architecture
        guard let last = architecture.index(of: lastLayer) else {
            throw .unknownLayer(lastLayer, architecture: architecture.name)
        }
        let workspace = ConvWorkspace()
        var layers: [Layer] = []
        var conv = 0
        for spec in architecture.layers[...last] {
            switch spec {
            case .conv:
                let c = weights.convolutions[conv]
                conv += 1
                let layer = Conv2D(weight: Tensor(shape: [c.outChannels, c.inChannels, 3, 3], scalars: c.weight),
                                   bias: Tensor(shape: [c.outChannels], scalars: c.bias), padding: 1, workspace: workspace)
                layer.computesParameterGradients = false
                layers.append(layer)
            case .relu: layers.append(ReLU())
            case .pool: layers.append(MaxPool2D())
            }
        }
        self.architecture = architecture
        self.layers = layers
        self.layerNames = architecture.layers[...last].map(\.name)
    }

    /// Runs the network and returns the activations of the `capture` layers by name.
    public func forward(_ x: Tensor, capture: Set<String>) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        var y = x
        for (layer, name) in zip(layers, layerNames) {
            y = layer.forward(y)
            if capture.contains(name) { out[name] = y }
        }
        return out
    }

    /// The gradient with respect to the last `forward`'s input, given the loss's gradients with
    /// respect to some layers' outputs (each added in where its layer is reached going back).
    public func backward(_ gradients: [String: Tensor]) -> Tensor {
        guard let deepest = layerNames.lastIndex(where: { gradients[$0] != nil }) else {
            preconditionFailure("VGGNetwork: backward without any gradient")
        }
        var g = gradients[layerNames[deepest]]!
        for i in stride(from: deepest, through: 0, by: -1) {
            if i != deepest, let extra = gradients[layerNames[i]] { g += extra }
            g = layers[i].backward(g)
        }
        return g
    }
}

public enum VGGNetworkError: Error, Equatable, CustomStringConvertible {
    case unknownLayer(String, architecture: String)

    public var description: String {
        switch self {
        case .unknownLayer(let l, let a): "\(a) has no layer named \(l) (use convB_C, reluB_C or poolB)"
        }
    }
}
