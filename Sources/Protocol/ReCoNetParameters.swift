import Foundation

/// The `reconet` method's settings, as `vst-coord submit` sets them and a worker runs them: the one
/// definition of each option's default and range. A TASK carries them typed (`TaskSpec.reconet`);
/// nil (what an older coordinator sends) renders every frame on its own, as before they existed.
///
/// `stabilize` blends each output frame with the previous output carried onto it by the optical
/// flow of the input, where the flow is trusted (Engine's `OutputStabilizer`). It needs a worker
/// that knows it (`WorkerHello.Feature.stabilize`): an older one would ignore the key and render
/// unsteady frames without a word.
public struct ReCoNetParameters: Sendable, Equatable, Codable {
    /// The strengths `--stabilize-strength` accepts. 0 would be no stabilising at all (leave
    /// `stabilize` nil); 1 would never take a new frame where the flow is trusted, freezing the
    /// picture, so the top stops short of it.
    public static let strengthRange = 0.05...0.95
    /// `--stabilize` alone: the share of the carried previous output in each trusted pixel.
    public static let defaultStrength = 0.6

    /// nil: frames independent. Set: the share of the previous output, carried by the flow, in
    /// every pixel where the flow is trusted (`--stabilize`, `--stabilize-strength`).
    public var stabilize: Double?
    /// The flow that carries each output onto the next frame (`--stabilize-flow`).
    public var flow = GatysParameters.FlowQuality.fast

    public init(stabilize: Double? = nil, flow: GatysParameters.FlowQuality = .fast) {
        self.stabilize = stabilize
        self.flow = flow
    }

    /// Frames a chain needs before the frame it started on counts for at most 5 % of its output:
    /// the overlap a chunk renders before its first own frame, so that its chain has settled to
    /// what the previous chunk's chain shows there (strength^n <= 0.05). Zero without `stabilize`.
    public var settlingFrames: Int {
        guard let strength = stabilize, strength > 0, strength < 1 else { return 0 }
        return Int((log(0.05) / log(strength)).rounded(.up))
    }

    /// Checks every value against its range; the message names the submit option.
    public func validate() throws(ParameterError) {
        if let stabilize, !Self.strengthRange.contains(stabilize) {
            throw ParameterError("--stabilize-strength \(stabilize) is outside \(Self.strengthRange)")
        }
    }

    /// The wire decoder's check of a TASK's or SUBMIT's settings (`carrier` names which): for
    /// method reconet only, and in range.
    static func check(_ reconet: ReCoNetParameters?, of method: RenderMethod, in carrier: String) throws(DecodeError) {
        if reconet != nil && method != .reconet { throw .badPayload("a \(method) \(carrier) carries reconet settings") }
        do { try reconet?.validate() } catch { throw .badPayload("\(carrier)'s \(error)") }
    }

    private enum CodingKeys: String, CodingKey { case stabilize, flow }

    /// A key left out keeps its default, so a request written by hand need only name what it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stabilize = try c.decodeIfPresent(Double.self, forKey: .stabilize)
        flow = try c.decodeIfPresent(GatysParameters.FlowQuality.self, forKey: .flow) ?? .fast
    }
}
