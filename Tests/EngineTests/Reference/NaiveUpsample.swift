@testable import Engine

/// Nearest-neighbour upsampling by reading y[oy][ox] = x[oy / s][ox / s].
enum NaiveUpsample {
    static func forward(_ x: Tensor, factor s: Int) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var y = Tensor(shape: [n, c, h * s, w * s])
        for p in 0..<(n * c) { for oy in 0..<(h * s) { for ox in 0..<(w * s) {
            y[(p * h * s + oy) * w * s + ox] = x[(p * h + oy / s) * w + ox / s]
        } } }
        return y
    }
}
