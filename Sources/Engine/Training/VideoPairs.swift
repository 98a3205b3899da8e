/// Training pairs from consecutive video frames, with the project's own flow: DIS in both
/// directions on the whole frames, the reliability mask of Ruder et al. (forward-backward
/// consistency and motion boundaries), then one random `size` x `size` window cut from frames,
/// flow and mask alike. A window's flow may point outside the window; those pixels are masked too.
public enum VideoPairs {
    /// A pair from frames t-1 and t (RGB 0...255 planes, same size, each side at least `size`).
    public static func pair<G: RandomNumberGenerator>(previous: PlanarImage, current: PlanarImage, size: Int,
                                                      flow: DISFlow = DISFlow(preset: .balanced),
                                                      using rng: inout G) throws(FlowError) -> TrainingPair {
        guard previous.channels == 3, current.channels == 3 else { throw .sizeMismatch("training frames must be RGB") }
        guard previous.width >= size, previous.height >= size else { throw .tooSmall(width: previous.width, height: previous.height) }
        let backward = try flow.flow(from: current, to: previous)
        let forward = try flow.flow(from: previous, to: current)
        let mask = OcclusionMask.reliability(of: backward, reverse: forward)
        let x0 = Int.random(in: 0...(current.width - size), using: &rng), y0 = Int.random(in: 0...(current.height - size), using: &rng)
        func window(_ plane: [Float], channels: Int, width: Int, height: Int) -> [Float] {
            var out = [Float](repeating: 0, count: channels * size * size)
            for c in 0..<channels { for y in 0..<size { for x in 0..<size {
                out[(c * size + y) * size + x] = plane[(c * height + y0 + y) * width + x0 + x]
            } } }
            return out
        }
        let (w, h) = (current.width, current.height)
        let cropFlow = FlowField(width: size, height: size, u: window(backward.u, channels: 1, width: w, height: h),
                                 v: window(backward.v, channels: 1, width: w, height: h))
        let inside = Warp.insideMask(cropFlow)
        let cropMask = zip(window(mask.data, channels: 1, width: w, height: h), inside).map { min($0, $1) }
        return TrainingPair(previous: Tensor(shape: [1, 3, size, size], scalars: window(previous.data, channels: 3, width: w, height: h)),
                            current: Tensor(shape: [1, 3, size, size], scalars: window(current.data, channels: 3, width: w, height: h)),
                            flow: cropFlow, mask: cropMask)
    }
}
