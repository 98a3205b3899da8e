import Engine

/// The `gatys` method's settings, read from a TASK's string parameters (what `vst-coord submit`
/// put there). Unknown keys are ignored, so a newer coordinator can send options an older
/// worker does not know; a known key with a bad value fails the chunk with one line.
public struct GatysVideoOptions: Sendable, Equatable {
    /// How a frame's optimisation starts when it is not warm-started.
    public enum Start: Sendable, Equatable {
        case content
        case noise(seed: UInt64)
        /// A picture file, resized to the frame; read where the worker runs.
        case image(path: String)
    }

    /// Iterations of a chunk's first frame.
    public var iterations = 100
    /// Iterations of every later frame (warm-started from the previous output carried by the
    /// flow, or from `start` when that is explicit).
    public var iterationsNext = 50
    /// Weight of the short-term temporal loss (Ruder et al.), relative to content weight 1 on
    /// the image's 0...255 scale; 0 turns it off.
    public var temporalWeight = 200.0
    /// J of Ruder et al.'s long-term loss: the earlier frames (1 = the one before) each frame is
    /// held to, each pixel to the nearest of them that saw it (`LongTermMasks`). [1] is the
    /// short-term loss alone.
    public var longTerm = [1]
    /// Ruder et al.'s multi-pass: the chunk is rendered `passes` times, alternately forward and
    /// backward, each pass after the first starting every frame from a blend of its last render
    /// and its neighbour in the pass's direction; frames are final (and sent) after the last.
    public var passes = 1
    /// Where a chunk's first frame starts; when `explicitStart` is set every frame starts there
    /// and nothing is warm-started (per-frame rendering, the comparison Ruder et al. make).
    public var start: Start = .content
    public var explicitStart = false
    public var styleScale = 1.0
    public var originalColors: ColorTransfer.Mode?
    public var flowPreset: FlowPreset = .fast
    public var gatys = GatysOptions()

    public init() {}

    /// Every frame after a chunk's first (or its warm-start frame) continues the chain.
    public var warmStarts: Bool { !explicitStart }

    /// Parses `parameters` over the defaults.
    public init(parameters: [String: String]) throws(WorkerError) {
        func number(_ key: String, _ ok: (Double) -> Bool) throws(WorkerError) -> Double? {
            guard let text = parameters[key] else { return nil }
            guard let value = Double(text), value.isFinite, ok(value) else { throw .badTask("\(key) \(text) is out of range") }
            return value
        }
        func count(_ key: String) throws(WorkerError) -> Int? {
            guard let text = parameters[key] else { return nil }
            guard let value = Int(text), value >= 1, value <= 100_000 else { throw .badTask("\(key) \(text) must be a whole number >= 1") }
            return value
        }
        if let v = try count("iters") { iterations = v }
        if let v = try count("iters-next") { iterationsNext = v }
        if let v = try number("temporal-weight", { $0 >= 0 }) { temporalWeight = v }
        if let text = parameters["long-term"] {
            let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 != nil && $0! >= 1 && $0! <= 1000 }), values.contains(1) else {
                throw .badTask("long-term \(text) must be frame distances >= 1 including 1, e.g. 1,2,4")
            }
            longTerm = Array(Set(values.map { $0! })).sorted()
        }
        if let v = try count("passes") {
            guard v <= 100 else { throw .badTask("passes \(v) must be at most 100") }
            passes = v
        }
        if let v = try number("content-weight", { $0 >= 0 }) { gatys.contentWeight = v }
        if let v = try number("style-weight", { $0 >= 0 }) { gatys.styleWeight = v }
        if let v = try number("tv-weight", { $0 >= 0 }) { gatys.totalVariationWeight = v }
        if let v = try number("style-scale", { $0 > 0 && $0 <= 16 }) { styleScale = v }
        if let text = parameters["original-colors"] {
            guard let mode = ColorTransfer.Mode(rawValue: text) else { throw .badTask("original-colors \(text) is not luminance or histogram") }
            originalColors = mode
        }
        if let text = parameters["flow"] {
            guard let preset = FlowPreset(rawValue: text) else { throw .badTask("flow \(text) is not fast, balanced or accurate") }
            flowPreset = preset
        }
        if let text = parameters["init"] {
            explicitStart = true
            switch text {
            case "content": start = .content
            case "noise":
                let seed = parameters["seed"].flatMap(UInt64.init) ?? 1
                start = .noise(seed: seed)
            default: start = .image(path: text)
            }
        }
    }
}
