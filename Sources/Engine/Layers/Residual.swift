/// y = x + body(x): ReCoNet's residual block. The gradient reaches the input along both paths,
/// dx = dy + body'(dy), which is why deep stacks of these still train.
public final class Residual: Layer {
    public let body: Layer

    public init(_ body: Layer) { self.body = body }

    public func forward(_ x: Tensor) -> Tensor {
        let fx = body.forward(x)
        precondition(fx.shape == x.shape, "Residual: body changed the shape from \(x.shape) to \(fx.shape)")
        return fx + x
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        body.backward(gradOutput) + gradOutput
    }

    public func zeroGradients() { body.zeroGradients() }

    public func updateParameters(_ body: (_ value: inout Tensor, _ gradient: Tensor) -> Void) {
        self.body.updateParameters(body)
    }
}
