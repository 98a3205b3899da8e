/// The `gatys` method's settings, as `vst-coord submit` sets them and a worker runs them: the one
/// definition of each option's default and range. A TASK carries them typed (`TaskSpec.gatys`), so
/// a value out of range is refused where the request is made, and again by the wire decoder,
/// never found mid-chunk on a worker. Adding an option: a property with its default here, a line
/// in `validate()` and in `init(from:)`, the flag in vst-coord, and its use in the worker's
/// `GatysVideoOptions`.
public struct GatysParameters: Sendable, Equatable, Codable {
    /// Where a frame's optimisation starts when it is not warm-started (`submit --init`).
    public enum Start: Sendable, Equatable, Codable {
        case content
        case noise(seed: UInt64)
        /// A picture file, resized to the frame; read where the worker runs.
        case image(path: String)
    }

    /// How the style's colours are kept off the content (`--original-colors`).
    public enum OriginalColors: String, Sendable, Equatable, Codable, CaseIterable {
        /// Keep the stylised image's luminance, take the content's chrominance, after rendering.
        case luminance
        /// Recolour each style image to the content's colour statistics before rendering.
        case histogram
    }

    /// The optical flow's speed and accuracy (Engine's `FlowPreset` of the same names).
    public enum FlowQuality: String, Sendable, Equatable, Codable, CaseIterable {
        case fast, balanced, accurate
    }

    /// The iteration counts `--iters` and `--iters-next` accept.
    public static let iterationRange = 1...100_000
    /// The frame distances `--long-term` accepts.
    public static let longTermRange = 1...1000
    /// The pass counts `--passes` accepts.
    public static let passRange = 1...100
    /// The windows `--stop-window` accepts.
    public static let stopWindowRange = 1...1000

    /// Iterations of a chunk's first frame (`--iters`); the most it gets when `stopTolerance` is
    /// above 0.
    public var iterations = 100
    /// Iterations of every later frame, warm-started from the previous output carried by the
    /// flow, or from `start` when that is set (`--iters-next`); the most each gets when
    /// `stopTolerance` is above 0.
    public var iterationsNext = 50
    /// A frame stops once its loss fell by less than this share over the last `stopWindow`
    /// iterations (Ruder et al.'s relative-decrease rule); 0 spends the full counts
    /// (`--stop-tolerance`). The default, 3 % over 5 iterations, is the cheapest of the rules
    /// measured on issue 20's job whose warping error and style loss held (docs/benchmarks.md,
    /// "A chunk's first frame from a ReCoNet render, and L-BFGS's memory"); 1 % was the first
    /// default ("Gatys iterations where they help"). An older worker ignores it and spends the
    /// full counts; a TASK from an older coordinator, which leaves it out, gets this default.
    public var stopTolerance = 0.03
    /// The iterations `stopTolerance`'s decrease is measured over (`--stop-window`).
    public var stopWindow = 5
    /// A chain keeps an output pixel whose input changed by at most this many levels (0...255)
    /// since it was painted (Engine's `StaticHold`): a still background stays still instead of
    /// drifting as the chain re-optimises it; 0 turns it off (`--static-hold`). An older worker
    /// ignores it; a TASK that leaves it out gets this default.
    public var staticHold = 3.0
    /// Weight of the short-term temporal loss (Ruder et al.), relative to content weight 1 on the
    /// image's 0...255 scale; 0 turns it off (`--temporal-weight`).
    public var temporalWeight = 200.0
    /// J of Ruder et al.'s long-term loss: the earlier frames (1 = the one before) each frame is
    /// held to, each pixel to the nearest of them that saw it; ascending, always holding 1.
    /// [1] is the short-term loss alone (`--long-term`).
    public var longTerm = [1]
    /// Ruder et al.'s multi-pass: each chunk rendered this many times, alternately forward and
    /// backward (`--passes`).
    public var passes = 1
    /// Set: every frame starts here and nothing is warm-started (per-frame rendering, the
    /// comparison Ruder et al. make). nil: a chunk's first frame starts from the content and
    /// every later frame continues the chain (`--init`).
    public var start: Start?
    /// Still-image loss weights; nil keeps the engine's default (`--content-weight`,
    /// `--style-weight`, `--tv-weight`).
    public var contentWeight: Double?
    public var styleWeight: Double?
    public var tvWeight: Double?
    /// Style image scale relative to the frame's width (`--style-scale`).
    public var styleScale = 1.0
    /// nil: the style's own colours (`--original-colors`).
    public var originalColors: OriginalColors?
    /// The flow between consecutive frames that carries each render to the next.
    public var flow = FlowQuality.fast
    /// True: a chunk's first frame starts from a ReCoNet render of the job's style when the job
    /// has such a model (`--model FILE`, or one of the coordinator's models trained on the same
    /// style picture); false: from the content (`--model none`).
    public var startModel = true
    /// True: each frame of a chain starts L-BFGS from the curvature pairs the frame before ended
    /// with (`LBFGS.Memory`) instead of from none (`--carry-history`, `--no-carry-history`).
    /// With them a frame ends lower for the same stopping rule, which lets the rule be looser
    /// (docs/benchmarks.md, "A chunk's first frame from a ReCoNet render, and L-BFGS's memory").
    public var carryHistory = true
    /// Iterations of a half-size render that starts a chunk's first frame, whose enlarged result
    /// the full-size render then starts from (`CoarseToFine`, `--coarse-iters`); 0 renders at full
    /// size only. A frame started from a carried keyframe is not rendered coarse-to-fine. The
    /// default, 30 (under the stopping rule, a cap), bought the style back on issue 20's job for
    /// no CPU (docs/benchmarks.md, "Coarse-to-fine"). An older worker ignores it; a TASK that
    /// leaves it out gets this default.
    public var coarseIterations = 30

    public init() {}

    /// True when frames after a chunk's first continue the chain (no explicit `start`).
    public var warmStarts: Bool { start == nil }

    /// Checks every value against its range; the message names the submit option.
    public func validate() throws(ParameterError) {
        if !Self.iterationRange.contains(iterations) { throw ParameterError("--iters \(iterations) is outside \(Self.iterationRange)") }
        if !Self.iterationRange.contains(iterationsNext) {
            throw ParameterError("--iters-next \(iterationsNext) is outside \(Self.iterationRange)")
        }
        if !(temporalWeight >= 0) || !temporalWeight.isFinite { throw ParameterError("--temporal-weight must be a number >= 0") }
        if longTerm.isEmpty || !longTerm.allSatisfy(Self.longTermRange.contains) || longTerm.first != 1 || longTerm != longTerm.sorted()
            || Set(longTerm).count != longTerm.count {
            throw ParameterError("--long-term must list frame distances in \(Self.longTermRange) including 1, e.g. 1,2,4")
        }
        if coarseIterations != 0 && !Self.iterationRange.contains(coarseIterations) {
            throw ParameterError("--coarse-iters \(coarseIterations) is outside \(Self.iterationRange) (or 0: off)")
        }
        if !Self.passRange.contains(passes) { throw ParameterError("--passes \(passes) is outside \(Self.passRange)") }
        if !(stopTolerance >= 0 && stopTolerance < 1) { throw ParameterError("--stop-tolerance must be a number in [0, 1)") }
        if !Self.stopWindowRange.contains(stopWindow) {
            throw ParameterError("--stop-window \(stopWindow) is outside \(Self.stopWindowRange)")
        }
        if !(staticHold >= 0 && staticHold <= 255) { throw ParameterError("--static-hold must be a number of levels in [0, 255]") }
        for (name, value) in [("--content-weight", contentWeight), ("--style-weight", styleWeight), ("--tv-weight", tvWeight)] {
            if let value, !(value >= 0) || !value.isFinite { throw ParameterError("\(name) must be a number >= 0") }
        }
        if !(styleScale > 0 && styleScale <= 16) { throw ParameterError("--style-scale must be in (0, 16]") }
        if case .image(let path) = start, path.isEmpty { throw ParameterError("--init needs content, noise or a picture's path") }
    }

    /// The wire decoder's check of a TASK's or SUBMIT's settings (`carrier` names which): present
    /// for method gatys and only then, and in range.
    static func check(_ gatys: GatysParameters?, of method: RenderMethod, in carrier: String) throws(DecodeError) {
        if (method == .gatys) != (gatys != nil) {
            throw .badPayload(method == .gatys ? "a gatys \(carrier) carries no settings" : "a \(method) \(carrier) carries gatys settings")
        }
        do { try gatys?.validate() } catch { throw .badPayload("\(carrier)'s \(error)") }
    }

    private enum CodingKeys: String, CodingKey {
        case iterations, iterationsNext, temporalWeight, longTerm, passes, start, contentWeight, styleWeight, tvWeight,
             styleScale, originalColors, flow, stopTolerance, stopWindow, staticHold, startModel, carryHistory, coarseIterations
    }

    /// A key left out keeps its default, so a request written by hand (or by a script) need only
    /// name what it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = GatysParameters()
        iterations = try c.decodeIfPresent(Int.self, forKey: .iterations) ?? defaults.iterations
        iterationsNext = try c.decodeIfPresent(Int.self, forKey: .iterationsNext) ?? defaults.iterationsNext
        temporalWeight = try c.decodeIfPresent(Double.self, forKey: .temporalWeight) ?? defaults.temporalWeight
        longTerm = try c.decodeIfPresent([Int].self, forKey: .longTerm) ?? defaults.longTerm
        passes = try c.decodeIfPresent(Int.self, forKey: .passes) ?? defaults.passes
        start = try c.decodeIfPresent(Start.self, forKey: .start)
        contentWeight = try c.decodeIfPresent(Double.self, forKey: .contentWeight)
        styleWeight = try c.decodeIfPresent(Double.self, forKey: .styleWeight)
        tvWeight = try c.decodeIfPresent(Double.self, forKey: .tvWeight)
        styleScale = try c.decodeIfPresent(Double.self, forKey: .styleScale) ?? defaults.styleScale
        originalColors = try c.decodeIfPresent(OriginalColors.self, forKey: .originalColors)
        flow = try c.decodeIfPresent(FlowQuality.self, forKey: .flow) ?? defaults.flow
        stopTolerance = try c.decodeIfPresent(Double.self, forKey: .stopTolerance) ?? defaults.stopTolerance
        stopWindow = try c.decodeIfPresent(Int.self, forKey: .stopWindow) ?? defaults.stopWindow
        staticHold = try c.decodeIfPresent(Double.self, forKey: .staticHold) ?? defaults.staticHold
        startModel = try c.decodeIfPresent(Bool.self, forKey: .startModel) ?? defaults.startModel
        carryHistory = try c.decodeIfPresent(Bool.self, forKey: .carryHistory) ?? defaults.carryHistory
        coarseIterations = try c.decodeIfPresent(Int.self, forKey: .coarseIterations) ?? defaults.coarseIterations
    }
}
