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
}
