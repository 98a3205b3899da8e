/// Layers applied one after another; `backward` runs them in reverse.
///
/// VGG and ReCoNet are built from these; code that needs an intermediate activation (Gatys reads
/// several VGG layers) can instead call the layers of `layers` itself, in order.
public final class Sequential: Layer {
    public let layers: [Layer]

    public init(_ layers: [Layer]) { self.layers = layers }

    public func forward(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1.forward($0) }
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        layers.reversed().reduce(gradOutput) { $1.backward($0) }
    }

    public func zeroGradients() { layers.forEach { $0.zeroGradients() } }

    public func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void) {
        for layer in layers { layer.updateParameters(body) }
    }
}
