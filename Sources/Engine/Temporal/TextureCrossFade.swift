/// A cross-fade between two stylised renders of one frame that keeps their texture's contrast.
///
/// Why: the keyframe hand-over walks a chain's last frames toward the next chunk's keyframe. A
/// plain mix `(1 - w) a + w b` of two renders whose brush strokes differ averages the strokes
/// away: half-way, two uncorrelated textures keep about 0.7 of their contrast, and the Gram
/// style loss of the held frames rose by a third (docs/benchmarks.md). Here only the coarse
/// picture (a Gaussian blur, where both renders follow the same content) is mixed linearly;
/// the detail around it is mixed with weights divided by `sqrt((1 - w)^2 + w^2)`, which keeps
/// the variance of a mix of two uncorrelated textures of equal contrast where it was (the
/// histogram-preserving blend of Heitz and Neyret 2018, used here along time). At w = 0 and 1
/// the result is `a` and `b` exactly, and it moves continuously in between, so a ramp of
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
        var out = a
        out.withUnsafeMutableBufferPointer { o in
            for c in 0..<channels {
                for p in 0..<plane {
                    let w = min(max(weight[p], 0), 1), k = c * plane + p
                    let coarse = (1 - w) * la.data[k] + w * lb.data[k]
                    let detail = (1 - w) * (pa.data[k] - la.data[k]) + w * (pb.data[k] - lb.data[k])
                    o[k] = coarse + detail / ((1 - w) * (1 - w) + w * w).squareRoot()
                }
            }
        }
        return out
    }
}
