/// Keeps still what the footage keeps still: a chain's output pixel whose input has not changed
/// since that pixel was last painted keeps its painted value.
///
/// Why: a coherent Gatys chain re-optimises every pixel of every frame. Where the camera and the
/// scene are still, the temporal loss holds a pixel to the previous output, but the style loss
/// keeps nudging it, and over a chunk the nudges add up to a wall that "boils" (issue 20:
/// 2.3 levels a frame on a static street, 19 levels of drift over a chunk; Ruder et al.'s users
/// report it as artistic-videos #59). Nothing in the picture asked for that movement.
///
/// Per pixel the hold keeps the input it was painted from (`reference`). Where the current
/// input differs from it by at most `still` levels (mean over the channels, 0...255, the
/// largest difference within `radius` pixels, so a stroke next to something that moved is
/// repainted with it), the previous output is kept; from `moving` levels on, the new render is
/// taken and the reference becomes the current input; linearly between. Comparing against the
/// painted-from input rather than the previous frame means a slow change (a light fading, a
/// pan slower than `still` per frame) is repainted once it has added up, not held forever.
///
/// No flow is involved: a still pixel is the same pixel in both frames, so nothing is resampled
/// and nothing blurs.
public struct StaticHold: Sendable {
    /// Difference (levels, 0...255, channel mean) up to which a pixel counts as unchanged:
    /// above the noise of a compressed still shot, far below anything that moves.
    public static let defaultStill: Float = 3
    public let still: Float
    public let moving: Float
    public let radius: Int
    private var reference: PlanarImage?
    private var held: PlanarImage?

    public init(still: Float = StaticHold.defaultStill, moving: Float? = nil, radius: Int = 2) {
        precondition(still >= 0 && radius >= 0, "static hold: negative threshold or radius")
        self.still = still
        self.moving = max(moving ?? 3 * still, still + 1e-3)
        self.radius = radius
    }

    /// Starts the chain at a frame whose output is final (a chunk's first frame, or a resumed
    /// chunk's warm-start frame): every pixel painted from `input`.
    public mutating func start(input: PlanarImage, output: PlanarImage) {
        precondition(input.width == output.width && input.height == output.height, "static hold: sizes differ")
        reference = input
        held = output
    }

    /// The output to keep for the next frame: `raw` (the frame's render), with the pixels whose
    /// input is unchanged since they were painted taken from the previous output. The first
    /// frame of a chain is `raw` itself. Both images 0...255, planar, the same size.
    public mutating func next(input: PlanarImage, raw: PlanarImage) -> PlanarImage {
        precondition(input.width == raw.width && input.height == raw.height, "static hold: sizes differ")
        guard var reference, let held, reference.width == input.width, reference.height == input.height else {
            start(input: input, output: raw)
            return raw
        }
        let weight = holdWeights(difference: Self.widest(Self.difference(input, reference), width: input.width,
                                                         height: input.height, radius: radius))
        var out = raw
        let n = input.width * input.height
        for c in 0..<out.channels {
            for i in 0..<n where weight[i] > 0 {
                out.data[c * n + i] += weight[i] * (held.data[c * n + i] - out.data[c * n + i])
            }
        }
        for c in 0..<reference.channels {
            for i in 0..<n where weight[i] < 1 {
                reference.data[c * n + i] += (1 - weight[i]) * (input.data[c * n + i] - reference.data[c * n + i])
            }
        }
        self.reference = reference
        self.held = out
        return out
    }

    /// Replaces the output kept for the last frame, when it was changed after `next` (a
    /// hand-over pulling it toward another render): later frames hold what was sent.
    public mutating func replaceLast(with output: PlanarImage) {
        guard let held, held.width == output.width, held.height == output.height else { return }
        self.held = output
    }

    /// 1 (keep the previous output) up to `still`, 0 (take the new render) from `moving`.
    func holdWeights(difference: [Float]) -> [Float] {
        difference.map { min(1, max(0, (moving - $0) / (moving - still))) }
    }

    /// Mean absolute difference over the channels, per pixel.
    static func difference(_ a: PlanarImage, _ b: PlanarImage) -> [Float] {
        let n = a.width * a.height
        var out = [Float](repeating: 0, count: n)
        for c in 0..<a.channels {
            for i in 0..<n { out[i] += abs(a.data[c * n + i] - b.data[c * n + i]) }
        }
        let scale = 1 / Float(a.channels)
        return out.map { $0 * scale }
    }

    /// The largest value within `radius` pixels (a square), separably: rows, then columns.
    public static func widest(_ values: [Float], width: Int, height: Int, radius: Int) -> [Float] {
        guard radius > 0 else { return values }
        var rows = values
        for y in 0..<height {
            for x in 0..<width {
                var m = values[y * width + x]
                for dx in max(0, x - radius)...min(width - 1, x + radius) { m = max(m, values[y * width + dx]) }
                rows[y * width + x] = m
            }
        }
        var out = rows
        for y in 0..<height {
            for x in 0..<width {
                var m = rows[y * width + x]
                for dy in max(0, y - radius)...min(height - 1, y + radius) { m = max(m, rows[dy * width + x]) }
                out[y * width + x] = m
            }
        }
        return out
    }
}
