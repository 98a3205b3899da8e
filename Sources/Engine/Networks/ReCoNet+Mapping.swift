import Foundation

/// RGB 0...255 -> [-1, 1]: x / 127.5 - 1. The first convolution's uniform +-1/sqrt(fan-in)
/// initialisation then sees unit-range inputs, as it assumes.
final class InputMapping: Layer {
    init() {}

    func forward(_ x: Tensor) -> Tensor { x.map { $0 / 127.5 - 1 } }

    func backward(_ gradOutput: Tensor) -> Tensor { gradOutput * (1 / 127.5) }
}

/// y -> 127.5 * (1 + tanh(y)): the final convolution's output as RGB 0...255. A bounded output
/// keeps early training from producing out-of-range pixels that VGG would read as strong edges.
final class OutputMapping: Layer {
    /// tanh(y), kept for the derivative 1 - tanh^2.
    var activation: Tensor?
    /// y itself, for the trainer's saturation penalty (`ReCoNet.mappingInput`).
    var input: Tensor?

    init() {}

    func forward(_ x: Tensor) -> Tensor {
        let t = x.map { Foundation.tanh($0) }
        activation = t
        input = x
        return t.map { 127.5 * (1 + $0) }
    }

    func backward(_ gradOutput: Tensor) -> Tensor {
        guard let t = activation else { preconditionFailure("OutputMapping: backward before forward") }
        return gradOutput.zipMap(t) { g, a in g * 127.5 * (1 - a * a) }
    }
}
