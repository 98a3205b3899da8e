@testable import Engine

/// Instance normalisation with Double statistics, plane by plane.
enum NaiveInstanceNorm {
    static func forward(_ x: Tensor, scale: Tensor, shift: Tensor, epsilon: Double = 1e-5) -> Tensor {
        let (n, c, pixels) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        var y = Tensor(shape: x.shape)
        for p in 0..<(n * c) {
            let values = (0..<pixels).map { Double(x[p * pixels + $0]) }
            let mean = values.reduce(0, +) / Double(pixels)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pixels)
            for i in 0..<pixels {
                let xhat = (values[i] - mean) / (variance + epsilon).squareRoot()
                y[p * pixels + i] = Float(xhat * Double(scale[p % c]) + Double(shift[p % c]))
            }
        }
        return y
    }

    /// The input gradient from the textbook formula, in Double:
    /// dx = gamma / sigma * (dy - mean(dy) - xhat * mean(dy * xhat)).
    static func inputGradient(_ x: Tensor, _ dy: Tensor, scale: Tensor, epsilon: Double = 1e-5) -> Tensor {
        let (n, c, pixels) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        var dx = Tensor(shape: x.shape)
        for p in 0..<(n * c) {
            let values = (0..<pixels).map { Double(x[p * pixels + $0]) }
            let g = (0..<pixels).map { Double(dy[p * pixels + $0]) }
            let mean = values.reduce(0, +) / Double(pixels)
            let sigma = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pixels) + epsilon).squareRoot()
            let xhat = values.map { ($0 - mean) / sigma }
            let meanDy = g.reduce(0, +) / Double(pixels)
            let meanDyXhat = zip(g, xhat).map { $0 * $1 }.reduce(0, +) / Double(pixels)
            for i in 0..<pixels {
                dx[p * pixels + i] = Float(Double(scale[p % c]) / sigma * (g[i] - meanDy - xhat[i] * meanDyXhat))
            }
        }
        return dx
    }
}
