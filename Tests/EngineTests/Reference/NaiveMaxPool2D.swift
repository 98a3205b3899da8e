@testable import Engine

/// 2x2 stride-2 max pooling as plain loops.
enum NaiveMaxPool2D {
    static func forward(_ x: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var y = Tensor(shape: [n, c, h / 2, w / 2])
        for p in 0..<(n * c) { for oy in 0..<(h / 2) { for ox in 0..<(w / 2) {
            var m = -Float.infinity
            for dy in 0..<2 { for dx in 0..<2 { m = max(m, x[(p * h + 2 * oy + dy) * w + 2 * ox + dx]) } }
            y[(p * (h / 2) + oy) * (w / 2) + ox] = m
        } } }
        return y
    }
}
