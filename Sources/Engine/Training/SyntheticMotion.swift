import Foundation

/// Training pairs made from still photographs moved by a random, exactly known motion.
///
/// The previous frame samples the photo through an affine map B (a random crop at a random
/// scale, mirrored left to right half of the time, so each photo gives many different samples);
/// the current frame samples it through B after a small similarity M about the frame's
/// centre (shift, zoom, rotation): current(p) = photo(B(M(p))). So current(p) shows what the
/// previous frame shows at M(p), and the backward flow is exactly M(p) - p, with no estimation
/// error. Pixels whose M(p) falls outside the previous frame saw nothing there: the mask is 0.
public struct SyntheticMotion: Sendable {
    /// Largest shift in pixels, each axis.
    public var maxShift: Float = 6
    /// Largest zoom away from 1 (0.03: 0.97...1.03).
    public var maxZoom: Float = 0.03
    /// Largest rotation in degrees.
    public var maxRotationDegrees: Float = 2
    /// The smallest crop, as a fraction of the photo's short side: crops are drawn between this and
    /// the whole short side, so the network sees the photo's detail at several scales.
    public var minCropFraction: Float = 0.4
    /// Mirror half of the crops left to right.
    public var flips = true

    public init() {}

    /// Where a pair's previous frame was cut from its photo: pixel (x, y) of the frame shows the
    /// photo at (originX + scale * x', originY + scale * y), x' = size - 1 - x when `flipped`, else x.
    public struct Crop: Sendable, Equatable {
        public var originX: Float
        public var originY: Float
        /// Photo pixels per frame pixel.
        public var scale: Float
        public var flipped: Bool
    }

    /// A `size` x `size` pair from `photo` (`[1, 3, H, W]`, RGB 0...255, both sides at least
    /// `size`); `rng` picks the crop and the motion.
    public func pair<G: RandomNumberGenerator>(from photo: Tensor, size: Int, using rng: inout G) -> TrainingPair {
        croppedPair(from: photo, size: size, using: &rng).pair
    }

    /// `pair(from:size:using:)` and the crop it was cut from.
    public func croppedPair<G: RandomNumberGenerator>(from photo: Tensor, size: Int, using rng: inout G) -> (pair: TrainingPair, crop: Crop) {
        let (h, w) = (photo.shape[2], photo.shape[3])
        precondition(h >= size && w >= size, "SyntheticMotion: photo \(w)x\(h) is smaller than \(size)")
        // Crop scale: at most the whole short side, at least minCropFraction of it (never
        // upsampling past 1.25x).
        let maxScale = Float(min(h, w) - 1) / Float(size)
        let scale = Float.random(in: max(0.8, maxScale * minCropFraction)...max(0.8, maxScale), using: &rng)
        let extent = scale * Float(size - 1)
        let ox = Float.random(in: 0...max(0, Float(w - 1) - extent), using: &rng)
        let oy = Float.random(in: 0...max(0, Float(h - 1) - extent), using: &rng)
        let tx = Float.random(in: -maxShift...maxShift, using: &rng), ty = Float.random(in: -maxShift...maxShift, using: &rng)
        let zoom = 1 + Float.random(in: -maxZoom...maxZoom, using: &rng)
        let angle = Float.random(in: -maxRotationDegrees...maxRotationDegrees, using: &rng) * .pi / 180
        let flipped = flips && Bool.random(using: &rng)
        // The mirror is part of B, so current(p) = photo(B(M(p))) and the flow stay exact.
        func column(_ x: Float) -> Float { flipped ? Float(size - 1) - x : x }
        let (cosA, sinA) = (zoom * Foundation.cos(angle), zoom * Foundation.sin(angle))
        let centre = Float(size - 1) / 2
        let n = size * size
        var u = [Float](repeating: 0, count: n), v = [Float](repeating: 0, count: n)
        for y in 0..<size { for x in 0..<size {
            let dx = Float(x) - centre, dy = Float(y) - centre
            let mx = centre + cosA * dx - sinA * dy + tx, my = centre + sinA * dx + cosA * dy + ty
            u[y * size + x] = mx - Float(x); v[y * size + x] = my - Float(y)
        } }
        let flow = FlowField(width: size, height: size, u: u, v: v)
        let previous = SyntheticMotion.sample(photo, size: size) { x, y in (ox + scale * column(Float(x)), oy + scale * Float(y)) }
        let current = SyntheticMotion.sample(photo, size: size) { x, y in
            let p = y * size + x
            return (ox + scale * column(Float(x) + u[p]), oy + scale * (Float(y) + v[p]))
        }
        return (TrainingPair(previous: previous, current: current, flow: flow, mask: Warp.insideMask(flow)),
                Crop(originX: ox, originY: oy, scale: scale, flipped: flipped))
    }

    /// A `size` x `size` image whose pixel (x, y) is `photo` at `source(x, y)`, bilinear, edges replicated.
    static func sample(_ photo: Tensor, size: Int, source: (Int, Int) -> (Float, Float)) -> Tensor {
        let (h, w) = (photo.shape[2], photo.shape[3])
        let plane = h * w
        var out = Tensor(shape: [1, 3, size, size])
        photo.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<size { for x in 0..<size {
                let (sx, sy) = source(x, y)
                let cx = min(max(sx, 0), Float(w - 1)), cy = min(max(sy, 0), Float(h - 1))
                let x0 = min(Int(cx), max(w - 2, 0)), y0 = min(Int(cy), max(h - 2, 0))
                let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
                let fx = cx - Float(x0), fy = cy - Float(y0)
                for c in 0..<3 {
                    let s = c * plane
                    let top = src[s + y0 * w + x0] * (1 - fx) + src[s + y0 * w + x1] * fx
                    let bottom = src[s + y1 * w + x0] * (1 - fx) + src[s + y1 * w + x1] * fx
                    dst[c * size * size + y * size + x] = top * (1 - fy) + bottom * fy
                }
            } }
        } }
        return out
    }
}
