/// Keeping the content photo's colours (Gatys, Bethge, Hertzmann, Shechtman 2016, "Preserving
/// color in neural artistic style transfer"). Both work on `GatysImage` tensors (RGB 0...255).
public enum ColorTransfer {
    public enum Mode: String, Sendable, CaseIterable {
        /// Keep the stylised image's luminance, take the content's chrominance (YIQ), after rendering.
        case luminance
        /// Recolour each style image so that its colour mean and covariance match the content's,
        /// before rendering (a linear map, x' = L_c L_s^-1 (x - mu_s) + mu_c, L from Cholesky).
        case histogram
    }

    /// Y of the styled image with I and Q of the content (NTSC YIQ), clamped to 0...255.
    public static func luminanceOnly(styled: Tensor, content: Tensor) -> Tensor {
        precondition(styled.shape == content.shape && styled.shape.count == 4 && styled.shape[1] == 3,
                     "ColorTransfer: shapes \(styled.shape) and \(content.shape)")
        let plane = styled.shape[2] * styled.shape[3]
        var out = Tensor(shape: styled.shape)
        styled.withUnsafeBufferPointer { s in content.withUnsafeBufferPointer { c in out.withUnsafeMutableBufferPointer { o in
            for i in 0..<plane {
                let y = 0.299 * s[i] + 0.587 * s[plane + i] + 0.114 * s[2 * plane + i]
                let (r, g, b) = (c[i], c[plane + i], c[2 * plane + i])
                let iq = 0.595716 * r - 0.274453 * g - 0.321263 * b
                let qq = 0.211456 * r - 0.522591 * g + 0.311135 * b
                o[i] = min(255, max(0, y + 0.9563 * iq + 0.6210 * qq))
                o[plane + i] = min(255, max(0, y - 0.2721 * iq - 0.6474 * qq))
                o[2 * plane + i] = min(255, max(0, y - 1.1070 * iq + 1.7046 * qq))
            }
        } } }
        return out
    }

    /// `style` recoloured to the colour mean and covariance of `content` (sizes may differ).
    public static func matchingColorStatistics(of style: Tensor, to content: Tensor) -> Tensor {
        let (muS, covS) = statistics(style), (muC, covC) = statistics(content)
        let ls = cholesky(covS), lc = cholesky(covC)
        let a = multiply(lc, invertLower(ls))
        let plane = style.shape[2] * style.shape[3]
        var out = Tensor(shape: style.shape)
        style.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { o in
            for i in 0..<plane {
                let d = (0..<3).map { Double(s[$0 * plane + i]) - muS[$0] }
                for r in 0..<3 {
                    let v = muC[r] + a[r][0] * d[0] + a[r][1] * d[1] + a[r][2] * d[2]
                    o[r * plane + i] = Float(min(255, max(0, v)))
                }
            }
        } }
        return out
    }

    static func statistics(_ x: Tensor) -> ([Double], [[Double]]) {
        let plane = x.shape[2] * x.shape[3]
        var mu = [0.0, 0, 0], cov = [[Double]](repeating: [0, 0, 0], count: 3)
        x.withUnsafeBufferPointer { p in
            for c in 0..<3 { for i in 0..<plane { mu[c] += Double(p[c * plane + i]) } ; mu[c] /= Double(plane) }
            for i in 0..<plane {
                let d = (0..<3).map { Double(p[$0 * plane + i]) - mu[$0] }
                for r in 0..<3 { for c in 0..<3 { cov[r][c] += d[r] * d[c] } }
            }
        }
        // A small ridge keeps flat (grey or single-colour) images invertible.
        for r in 0..<3 { for c in 0..<3 { cov[r][c] = cov[r][c] / Double(plane) + (r == c ? 1e-3 : 0) } }
        return (mu, cov)
    }

    static func cholesky(_ a: [[Double]]) -> [[Double]] {
        var l = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 { for j in 0...i {
            var s = a[i][j]
            for k in 0..<j { s -= l[i][k] * l[j][k] }
            l[i][j] = i == j ? s.squareRoot() : s / l[j][j]
        } }
        return l
    }

    static func invertLower(_ l: [[Double]]) -> [[Double]] {
        var inv = [[Double]](repeating: [0, 0, 0], count: 3)
        for i in 0..<3 {
            inv[i][i] = 1 / l[i][i]
            for j in 0..<i {
                var s = 0.0
                for k in j..<i { s -= l[i][k] * inv[k][j] }
                inv[i][j] = s / l[i][i]
            }
        }
        return inv
    }

    static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        (0..<3).map { r in (0..<3).map { c in (0..<3).reduce(0) { $0 + a[r][$1] * b[$1][c] } } }
    }
}
