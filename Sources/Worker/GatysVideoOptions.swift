import Engine
import Protocol

/// The `gatys` method's settings in Engine's terms: a TASK's `GatysParameters` (checked when the
/// request was made and again when the TASK was decoded) mapped onto the renderer's types.
public struct GatysVideoOptions: Sendable, Equatable {
    /// The TASK's settings as sent; counts, weights and `start` are read from here.
    public var parameters: GatysParameters
    public var originalColors: ColorTransfer.Mode?
    public var flowPreset: FlowPreset
    public var gatys = GatysOptions()

    public init(_ parameters: GatysParameters = GatysParameters()) {
        self.parameters = parameters
        originalColors = parameters.originalColors.map { switch $0 {
            case .luminance: .luminance
            case .histogram: .histogram
        } }
        flowPreset = switch parameters.flow {
        case .fast: .fast
        case .balanced: .balanced
        case .accurate: .accurate
        }
        if let weight = parameters.contentWeight { gatys.contentWeight = weight }
        if let weight = parameters.styleWeight { gatys.styleWeight = weight }
        if let weight = parameters.tvWeight { gatys.totalVariationWeight = weight }
    }

    /// Iterations of a chunk's first frame.
    public var iterations: Int { parameters.iterations }
    /// Iterations of every later frame.
    public var iterationsNext: Int { parameters.iterationsNext }
    /// Half-size iterations before a chunk's first frame's full-size render; 0: none.
    public var coarseIterations: Int { parameters.coarseIterations }
    public var temporalWeight: Double { parameters.temporalWeight }
    /// Ascending and holding 1 (`GatysParameters.validate()` checks).
    public var longTerm: [Int] { parameters.longTerm }
    public var passes: Int { parameters.passes }
    public var styleScale: Double { parameters.styleScale }
    /// Where a chunk's first frame starts: content unless `--init` said otherwise.
    public var start: GatysParameters.Start { parameters.start ?? .content }
    /// When a frame stops before its count: nil spends the full count.
    public var stop: LossPlateau? {
        parameters.stopTolerance > 0 ? LossPlateau(tolerance: parameters.stopTolerance, window: parameters.stopWindow) : nil
    }
    /// How a chain keeps still pixels still: nil when `--static-hold 0`.
    public var staticHold: StaticHold? {
        parameters.staticHold > 0 ? StaticHold(still: Float(parameters.staticHold)) : nil
    }
    /// A chain's frames pass L-BFGS's curvature pairs on (`--carry-history`).
    public var carryHistory: Bool { parameters.carryHistory && parameters.warmStarts }
    /// Every frame after a chunk's first (or its warm-start frame) continues the chain.
    public var warmStarts: Bool { parameters.warmStarts }
}
