/// Separable resizing of float planes. Shrinking averages each output pixel's footprint (area
/// resampling, no aliasing), enlarging interpolates bilinearly; both treat pixels as unit squares
/// with centres at integer + 0.5, the convention `FlowField.resized` uses to scale vectors.
enum Resampling {
    /// For each output index, the first source index and the weights of consecutive sources.
    struct AxisTaps {
        let first: [Int]
        let weights: [[Float]]
    }

    static func taps(from n: Int, to m: Int) -> AxisTaps {
        var first = [Int](repeating: 0, count: m), weights = [[Float]](repeating: [], count: m)
        if m < n {
            let s = Double(n) / Double(m)
            for i in 0..<m {
                let a = Double(i) * s, b = Double(i + 1) * s
                let j0 = Int(a), j1 = min(n - 1, Int((b - 1e-9).rounded(.down)))
                first[i] = j0
                var w = [Float]()
                for j in j0...j1 {
                    let overlap = min(b, Double(j + 1)) - max(a, Double(j))
                    w.append(Float(max(0, overlap) / s))
                }
                weights[i] = w
            }
        } else {
            let s = Double(n) / Double(m)
            for i in 0..<m {
                let x = min(max((Double(i) + 0.5) * s - 0.5, 0), Double(n - 1))
                let j0 = min(Int(x), max(n - 2, 0)), f = Float(x - Double(j0))
                first[i] = j0
                weights[i] = n == 1 ? [1] : [1 - f, f]
            }
        }
        return AxisTaps(first: first, weights: weights)
    }

    /// Resizes one plane of `width * height` floats to `newWidth * newHeight`.
    static func resize(_ src: UnsafePointer<Float>, width: Int, height: Int,
                       into dst: UnsafeMutablePointer<Float>, newWidth: Int, newHeight: Int) {
        let tx = taps(from: width, to: newWidth), ty = taps(from: height, to: newHeight)
        let tmp = FloatBuffer(count: newWidth * height)
        let t = tmp.pointer
        FlowParallel.forRanges(height, costPerItem: newWidth * 2) { rows in
            for y in rows {
                let s = src + y * width, d = t + y * newWidth
                for x in 0..<newWidth {
                    let j0 = tx.first[x]
                    var acc: Float = 0
                    for (k, w) in tx.weights[x].enumerated() { acc += w * s[j0 + k] }
                    d[x] = acc
                }
            }
        }
        FlowParallel.forRanges(newHeight, costPerItem: newWidth * 2) { rows in
            for y in rows {
                let d = dst + y * newWidth
                for x in 0..<newWidth { d[x] = 0 }
                let j0 = ty.first[y]
                for (k, w) in ty.weights[y].enumerated() {
                    let s = t + (j0 + k) * newWidth
                    for x in 0..<newWidth { d[x] += w * s[x] }
                }
            }
        }
        withExtendedLifetime(tmp) {}
    }
}

extension PlanarImage {
    /// This image resized to `width` x `height`, every channel alike (area when shrinking, bilinear when enlarging).
    public func resized(width newWidth: Int, height newHeight: Int) -> PlanarImage {
        if newWidth == width && newHeight == height { return self }
        precondition(newWidth > 0 && newHeight > 0 && width > 0 && height > 0, "cannot resize an empty image")
        var out = PlanarImage(width: newWidth, height: newHeight, channels: channels)
        let n = planeSize, m = newWidth * newHeight
        data.withUnsafeBufferPointer { s in
            out.data.withUnsafeMutableBufferPointer { d in
                for c in 0..<channels {
                    Resampling.resize(s.baseAddress! + c * n, width: width, height: height,
                                      into: d.baseAddress! + c * m, newWidth: newWidth, newHeight: newHeight)
                }
            }
        }
        return out
    }
}

extension FlowField {
    /// This flow at another resolution, e.g. a feature map's: vectors are resampled like an image
    /// (averaged over each output pixel's footprint when shrinking) and scaled by the size ratio,
    /// so they stay in the new grid's pixel units.
    public func resized(width newWidth: Int, height newHeight: Int) -> FlowField {
        if newWidth == width && newHeight == height { return self }
        let sx = Float(newWidth) / Float(width), sy = Float(newHeight) / Float(height)
        let img = PlanarImage(width: width, height: height, channels: 2, data: u + v).resized(width: newWidth, height: newHeight)
        let m = newWidth * newHeight
        return FlowField(width: newWidth, height: newHeight,
                         u: img.data[0..<m].map { $0 * sx }, v: img.data[m..<(2 * m)].map { $0 * sy })
    }
}
