/// A cross-fade between two stylised renders of one frame that keeps their texture's contrast.
///
/// Why: the keyframe hand-over walks a chain's last frames toward the next chunk's keyframe. A
/// plain mix `(1 - w) a + w b` of two renders whose brush strokes differ averages the strokes
/// away: half-way, two uncorrelated textures keep about 0.7 of their contrast, and the Gram
/// style loss of the held frames rose by a third (docs/benchmarks.md). Here only the coarse
/// picture (a Gaussian blur, where both renders follow the same content) is mixed linearly;
/// the detail around it is mixed linearly and then scaled back to the contrast the two renders
/// have there: by `sqrt(((1 - w) va + w vb) / vm)`, with va, vb and vm the local variances (the
/// same Gaussian over the squared detail) of `a`'s, `b`'s and the mix's detail. For two
/// uncorrelated textures of equal contrast that is `1 / sqrt((1 - w)^2 + w^2)`, the
/// histogram-preserving blend of Heitz and Neyret 2018 used here along time, which bounds it;
/// where the two renders share their detail (a still background both painted alike) it is 1
/// and the fade is a plain mix. A fixed `1 / sqrt((1 - w)^2 + w^2)` sharpened such shared
/// detail by up to 1.41x half-way, and a chain that starts each held frame from the one before
/// compounded it: still pixels of vtest.avi stepped 3.7 levels (docs/benchmarks.md). At w = 0
/// and 1 the result is `a` and `b` exactly, and it moves continuously in between, so a ramp of
/// weights over the held frames still spreads the change over them.
public enum TextureCrossFade {
    /// The blur that splits the coarse picture from its detail, for a frame `width` pixels wide:
    /// strokes scale with the frame, because the style is rendered at the frame's width.
    public static func sigma(forWidth width: Int) -> Float {
        max(1, Float(width) / 100)
    }

    /// `a` faded toward `b` by `weight` per pixel (0 keeps `a`, 1 gives `b`), both [1, C, h, w]
    /// on one grid, `weight` one value per pixel.
    public static func fade(_ a: Tensor, toward b: Tensor, weight: [Float], sigma: Float) -> Tensor {
        precondition(a.shape == b.shape && a.shape.count == 4 && a.shape[0] == 1, "cross-fade: shapes differ")
        let channels = a.shape[1], plane = a.shape[2] * a.shape[3]
        precondition(weight.count == plane, "cross-fade: one weight per pixel")
        let height = a.shape[2], width = a.shape[3]
        let pa = PlanarImage(width: width, height: height, channels: channels, data: a.scalars)
        let pb = PlanarImage(width: width, height: height, channels: channels, data: b.scalars)
        let la = pa.gaussianBlurred(sigma: sigma), lb = pb.gaussianBlurred(sigma: sigma)
        let n = channels * plane
        var da = [Float](repeating: 0, count: n), db = da, mix = da, coarse = da
        for c in 0..<channels {
            for p in 0..<plane {
                let w = min(max(weight[p], 0), 1), k = c * plane + p
                coarse[k] = (1 - w) * la.data[k] + w * lb.data[k]
                da[k] = pa.data[k] - la.data[k]
                db[k] = pb.data[k] - lb.data[k]
                mix[k] = (1 - w) * da[k] + w * db[k]
            }
        }
        func localVariance(_ x: [Float]) -> [Float] {
            PlanarImage(width: width, height: height, channels: channels, data: x.map { $0 * $0 }).gaussianBlurred(sigma: sigma).data
        }
        let va = localVariance(da), vb = localVariance(db), vm = localVariance(mix)
        var out = a
        out.withUnsafeMutableBufferPointer { o in
            for c in 0..<channels {
                for p in 0..<plane {
                    let w = min(max(weight[p], 0), 1), k = c * plane + p
                    o[k] = coarse[k] + mix[k] * contrastGain(w: w, va: va[k], vb: vb[k], vm: vm[k])
                }
            }
        }
        return out
    }

    /// The scale that brings the mixed detail (local variance `vm`) back to the renders' contrast
    /// at weight `w` (`va`, `vb`): between 1 (shared detail) and `1 / sqrt((1 - w)^2 + w^2)`
    /// (uncorrelated detail).
    public static func contrastGain(w: Float, va: Float, vb: Float, vm: Float) -> Float {
        let most = 1 / ((1 - w) * (1 - w) + w * w).squareRoot()
        guard vm > 0 else { return 1 }
        return min(max(((1 - w) * va + w * vb) / vm, 1).squareRoot(), most)
    }
}
