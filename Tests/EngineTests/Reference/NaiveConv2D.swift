@testable import Engine

/// Convolution as nested loops with Double accumulation: slow and obviously right.
enum NaiveConv2D {
    static func forward(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                        mode: PaddingMode = .zero) -> Tensor {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, k) = (w.shape[0], w.shape[2])
        let oh = (h + 2 * padding - k) / stride + 1, ow = (wd + 2 * padding - k) / stride + 1
        var y = Tensor(shape: [n, cout, oh, ow])
        func source(_ i: Int, _ extent: Int) -> Int? {
            if i >= 0 && i < extent { return i }
            if mode == .zero { return nil }
            return i < 0 ? -i : 2 * (extent - 1) - i
        }
        for b in 0..<n { for co in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            var s = Double(bias?[co] ?? 0)
            for ci in 0..<cin { for ky in 0..<k { for kx in 0..<k {
                guard let iy = source(oy * stride + ky - padding, h),
                      let ix = source(ox * stride + kx - padding, wd) else { continue }
                s += Double(x[((b * cin + ci) * h + iy) * wd + ix]) * Double(w[((co * cin + ci) * k + ky) * k + kx])
            } } }
            y[((b * cout + co) * oh + oy) * ow + ox] = Float(s)
        } } } }
        return y
    }
}
