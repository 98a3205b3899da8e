import Foundation

/// A coarse-to-fine stack of an image: level 0 is the image, each next level half the size
/// (area-averaged, so no aliasing), down to `levels - 1`. Coarse levels see large motions as
/// small ones, which is what lets a local search find them.
struct ImagePyramid {
    let levels: [PlanarImage]

    init(_ image: PlanarImage, levels count: Int) {
        var levels = [image]
        for _ in 1..<max(count, 1) {
            let prev = levels[levels.count - 1]
            levels.append(prev.resized(width: max(1, prev.width / 2), height: max(1, prev.height / 2)))
        }
        self.levels = levels
    }

    subscript(level: Int) -> PlanarImage { levels[level] }
}

/// Central-difference derivatives with replicated borders: (I[x+1] - I[x-1]) / 2, or the
/// five-point stencil (-I[x+2] + 8 I[x+1] - 8 I[x-1] + I[x-2]) / 12, exact for quartics, which the
/// variational refinement uses because its sub-pixel accuracy rests on the derivatives.
enum ImageGradient {
    static func x5(_ src: UnsafePointer<Float>, width w: Int, height h: Int, into dst: UnsafeMutablePointer<Float>) {
        FlowParallel.forRanges(h, costPerItem: w) { rows in
            for y in rows {
                let s = src + y * w, d = dst + y * w
                @inline(__always) func at(_ x: Int) -> Float { s[min(max(x, 0), w - 1)] }
                for x in 0..<min(2, w) { d[x] = (at(x - 2) - 8 * at(x - 1) + 8 * at(x + 1) - at(x + 2)) / 12 }
                if w > 4 { for x in 2..<(w - 2) { d[x] = (s[x - 2] - 8 * s[x - 1] + 8 * s[x + 1] - s[x + 2]) * (1 / 12) } }
                for x in max(2, w - 2)..<w { d[x] = (at(x - 2) - 8 * at(x - 1) + 8 * at(x + 1) - at(x + 2)) / 12 }
            }
        }
    }

    static func y5(_ src: UnsafePointer<Float>, width w: Int, height h: Int, into dst: UnsafeMutablePointer<Float>) {
        FlowParallel.forRanges(h, costPerItem: w) { rows in
            for y in rows {
                let r = { (k: Int) in src + min(max(y + k, 0), h - 1) * w }
                let m2 = r(-2), m1 = r(-1), p1 = r(1), p2 = r(2), d = dst + y * w
                for x in 0..<w { d[x] = (m2[x] - 8 * m1[x] + 8 * p1[x] - p2[x]) * (1 / 12) }
            }
        }
    }

    static func x(_ src: UnsafePointer<Float>, width w: Int, height h: Int, into dst: UnsafeMutablePointer<Float>) {
        FlowParallel.forRanges(h, costPerItem: w) { rows in
            for y in rows {
                let s = src + y * w, d = dst + y * w
                if w == 1 { d[0] = 0; continue }
                d[0] = (s[1] - s[0]) * 0.5
                for x in 1..<(w - 1) { d[x] = (s[x + 1] - s[x - 1]) * 0.5 }
                d[w - 1] = (s[w - 1] - s[w - 2]) * 0.5
            }
        }
    }

    static func y(_ src: UnsafePointer<Float>, width w: Int, height h: Int, into dst: UnsafeMutablePointer<Float>) {
        FlowParallel.forRanges(h, costPerItem: w) { rows in
            for y in rows {
                let up = src + max(y - 1, 0) * w, down = src + min(y + 1, h - 1) * w, d = dst + y * w
                for x in 0..<w { d[x] = (down[x] - up[x]) * 0.5 }
            }
        }
    }
}

extension PlanarImage {
    /// Separable Gaussian blur with standard deviation `sigma` (pixels), borders replicated.
    /// Presmoothing before differentiation keeps sensor noise out of the derivatives.
    func gaussianBlurred(sigma: Float) -> PlanarImage {
        guard sigma > 0.05 else { return self }
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var k = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * Double(sigma * sigma)))) }
        let total = k.reduce(0, +)
        k = k.map { $0 / total }
        let w = width, h = height, n = planeSize
        var out = self
        let tmp = FloatBuffer(count: n)
        for c in 0..<channels {
            data.withUnsafeBufferPointer { sp in out.data.withUnsafeMutableBufferPointer { dp in
                let s = sp.baseAddress! + c * n, d = dp.baseAddress! + c * n, t = tmp.pointer
                FlowParallel.forRanges(h, costPerItem: w * k.count) { rows in
                    for y in rows {
                        for x in 0..<w {
                            var acc: Float = 0
                            for (i, kv) in k.enumerated() { acc += kv * s[y * w + min(max(x + i - radius, 0), w - 1)] }
                            t[y * w + x] = acc
                        }
                    }
                }
                FlowParallel.forRanges(h, costPerItem: w * k.count) { rows in
                    for y in rows {
                        let drow = d + y * w
                        for x in 0..<w { drow[x] = 0 }
                        for (i, kv) in k.enumerated() {
                            let srow = t + min(max(y + i - radius, 0), h - 1) * w
                            for x in 0..<w { drow[x] += kv * srow[x] }
                        }
                    }
                }
            } }
        }
        withExtendedLifetime(tmp) {}
        return out
    }
}
