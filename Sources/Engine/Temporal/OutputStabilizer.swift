/// Steadies a feed-forward network's frames after the fact: each output is blended with the
/// previous output carried onto it by the optical flow of the *input*, wherever that carried
/// frame can be trusted, so flicker the network adds between nearly equal inputs averages out
/// while anything new on screen takes the network's new frame.
///
/// Per pixel, `out = raw + strength * trust * (carried - raw)`, where `trust` is 1 where the
/// carried previous output shows the same thing and falls to 0 where it does not:
/// - the flow's own reliability (`FrameMotion.reliability`: forward-backward check, motion
///   boundaries, content entering the view), so a disoccluded region takes the new frame;
/// - photometric agreement of the *inputs*: the previous input carried by the same flow must
///   match the current input (`agreement`), which catches what the flow check passes but got
///   wrong (lighting changes, a flow that matched the wrong texture);
/// - a scene cut: when under `cutTrust` of the frame is trusted, nothing is (a new shot starts
///   from the network's frame, not from a few pixels that happen to agree with the old one).
///
/// The blend is recursive (the carried frame is itself a blend), an exponential average along
/// the motion with memory `1 / (1 - strength)` frames: strength 0.6 weighs the frame two back
/// 0.36 and ten back 0.006. That is also how far texture is smoothed and how far a resampling's
/// blur reaches, which is why its style loss is measured beside its warping error
/// (scripts/reconet-stabilize.sh).
///
/// The chain holds outputs as the 8-bit frames that were sent, so a chunk resumed from its
/// warm-start frame (`start(input:output:)`) continues exactly as the uninterrupted one would.
public struct OutputStabilizer: Sendable {
    /// Mean absolute difference per channel (0...255) between the current input and the previous
    /// input carried onto it below which the carried output is fully trusted: compression noise
    /// and sub-pixel resampling of a correctly carried frame stay under it.
    public static let agreementFull: Float = 8
    /// The difference at which trust reaches 0 (linearly from `agreementFull`).
    public static let agreementNone: Float = 24
    /// Below this mean trust the frame is taken as a new shot and nothing is carried.
    public static let cutTrust: Float = 0.2

    /// Share of the carried previous output in a fully trusted pixel, in 0..<1.
    public let strength: Float
    public let flow: DISFlow
    private var previous: (input: PlanarImage, output: PlanarImage)?

    public init(strength: Double, flow: DISFlow = DISFlow(preset: .fast)) {
        precondition(strength >= 0 && strength < 1, "stabilizer strength must be in 0..<1")
        self.strength = Float(strength)
        self.flow = flow
    }

    /// Starts (or restarts) the chain at a frame whose output is final: a resumed chunk's
    /// warm-start frame. Packed 8-bit RGB, `width` x `height`.
    public mutating func start(input: [UInt8], output: [UInt8], width: Int, height: Int) {
        previous = (PlanarImage(packedRGB: input, width: width, height: height),
                    PlanarImage(packedRGB: output, width: width, height: height))
    }

    /// The steadied output for the next frame: `raw` (the network's output for `input`) blended
    /// with the previous output carried onto it; the first frame of a chain is `raw` itself.
    public mutating func next(input: [UInt8], raw: [UInt8], width: Int, height: Int) throws(FlowError) -> [UInt8] {
        let current = PlanarImage(packedRGB: input, width: width, height: height)
        var out = raw
        if let previous {
            let motion = try FrameMotion(previous: previous.input, current: current, flow: flow)
            let trust = Self.trust(motion: motion, previousInput: previous.input, input: current)
            out = Self.blend(raw: raw, carried: motion.carry(previous.output), trust: trust, strength: strength)
        }
        previous = (current, PlanarImage(packedRGB: out, width: width, height: height))
        return out
    }

    /// Per pixel of frame t, how far the previous output carried by `motion` can be trusted
    /// (0...1): the flow's reliability times the inputs' photometric agreement, or all 0 at a cut.
    public static func trust(motion: FrameMotion, previousInput: PlanarImage, input: PlanarImage) -> [Float] {
        let n = input.planeSize
        let carriedInput = motion.carry(previousInput)
        var trust = agreement(carriedInput, input)
        var total: Float = 0
        for i in 0..<n {
            trust[i] *= motion.reliability.data[i]
            total += trust[i]
        }
        if n == 0 || total < cutTrust * Float(n) { return [Float](repeating: 0, count: n) }
        return trust
    }

    /// 1 where two images (0...255, same shape) agree within `agreementFull` per channel on
    /// average, 0 beyond `agreementNone`, linear between.
    public static func agreement(_ a: PlanarImage, _ b: PlanarImage) -> [Float] {
        precondition(a.width == b.width && a.height == b.height && a.channels == b.channels, "agreement: shapes differ")
        let n = a.planeSize, channels = a.channels
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var d: Float = 0
            for c in 0..<channels { d += abs(a.data[c * n + i] - b.data[c * n + i]) }
            d /= Float(channels)
            out[i] = min(1, max(0, (agreementNone - d) / (agreementNone - agreementFull)))
        }
        return out
    }

    /// `raw + strength * trust * (carried - raw)` per pixel, rounded to 8 bits; `raw` packed
    /// RGB, `carried` planar RGB of the same size, `trust` one value per pixel.
    public static func blend(raw: [UInt8], carried: PlanarImage, trust: [Float], strength: Float) -> [UInt8] {
        let n = carried.planeSize
        precondition(raw.count == 3 * n && carried.channels == 3 && trust.count == n, "stabilizer: sizes differ")
        var out = raw
        for i in 0..<n {
            let w = strength * trust[i]
            guard w > 0 else { continue }
            for c in 0..<3 {
                let r = Float(raw[3 * i + c])
                out[3 * i + c] = UInt8(max(0, min(255, (r + w * (carried.data[c * n + i] - r)).rounded())))
            }
        }
        return out
    }
}
