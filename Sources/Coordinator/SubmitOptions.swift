import Engine
import Foundation
import Media
import Protocol

/// The options of `vst-coord submit` as the user typed them, checked and turned into the
/// `JobRequest` a coordinator runs. Lives here, not in the executable, so tests reach it.
public struct SubmitOptions: Sendable {
    public var input: String
    public var output: String
    public var styles: [String] = []
    public var styleWeights: [Double] = []
    /// The method's name as typed (`RenderMethod(name:)` reads it).
    public var method = "gatys"
    public var model: String?
    public var height: Int?
    public var start = 0
    public var frames: Int?
    public var chunk = ChunkPlan.defaultChunkFrames
    /// nil: `defaultOverlap(for: method, chunk: chunk, reconet:)`.
    public var overlap: Int?
    /// `--seam-tail`: frames after each overlap the hand-over goes on into (`Stitcher`); nil
    /// is `defaultSeamTail`.
    public var seamTail: Int?
    /// `--seam-refine` / `--no-seam-refine`: a seam task re-optimises each boundary's stitched
    /// frames (gatys); nil is `defaultSeamRefine`.
    public var seamRefine: Bool?
    /// `--handover`: how chains hand over between chunks (`Handover`); nil is `defaultHandover`.
    /// With `keyframe`, 2 x `overlap` frames are held toward the next keyframe (`KeyframePlan.heldFrames`).
    public var handover: Handover?
    /// The gatys method's settings (`GatysParameters` holds each default and range); `--init`
    /// is kept apart as typed, since a picture's path is resolved and checked here.
    public var gatys = GatysParameters()
    /// `--init`: content, noise or a picture's path (nil: the warm-started chain).
    public var initialization: String?
    /// `--stabilize`: reconet frames blended with the previous output carried by the flow.
    public var stabilize = false
    /// `--stabilize-strength` (with `--stabilize`; nil: `ReCoNetParameters.defaultStrength`).
    public var stabilizeStrength: Double?
    /// `--stabilize-flow` (with `--stabilize`; nil: `ReCoNetParameters`' default).
    public var stabilizeFlow: GatysParameters.FlowQuality?
    public var crf = SubmitOptions.defaultCRF
    public var preset = SubmitOptions.defaultPreset
    public var lossless = false
    /// `--join-gain`: quantiser steps finer at the frames where chunks' segments meet (nil:
    /// Media's `SegmentEdges.defaultGain`).
    public var joinGain: Int?
    /// Queue priority on a shared coordinator: higher gets workers first.
    public var priority = 0
    /// `--fps`: the frame rate of an image-sequence input (required for one, refused for a
    /// film), as FFmpeg reads a rate (`24`, `30000/1001`, `23.976`).
    public var fps: String?

    /// x264's CRF 18: visually lossless on film; the copy test measures >= 40 dB PSNR with it.
    public static let defaultCRF = 18
    public static let defaultPreset = "medium"
    /// `--join-gain`'s default and range (Media's `SegmentEdges`), for the help text.
    public static let defaultJoinGain = SegmentEdges.defaultGain
    public static let joinGains = SegmentEdges.gains
    public static let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"]

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    /// Checks every option and every file the job reads, then builds the request with absolute
    /// paths (a coordinator on another host reads them as given: they must be valid there).
    /// Throws `.invalidOption` or `.badInput` (exit code 2).
    public func makeRequest() throws(CoordinatorError) -> JobRequest {
        let method: RenderMethod
        do { method = try RenderMethod(name: self.method) } catch { throw .invalidOption("--\(error)") }
        if method == .gatys && styles.isEmpty { throw .invalidOption("method gatys needs at least one --style image") }
        if method == .reconet && model == nil {
            throw .invalidOption("method reconet needs --model FILE.reconet (vst train makes one; models/starry.reconet is in the repository)")
        }
        // gatys: --model FILE starts each chunk from that network's render, --model none from the content.
        let noStartModel = method == .gatys && model == "none"
        if model != nil && !(method == .reconet || method == .gatys) { throw .invalidOption("--model is for methods reconet and gatys, not \(method)") }
        if method == .gatys && model != nil && !noStartModel && initialization != nil {
            throw .invalidOption("--model starts a gatys chain's chunks; --init renders frame by frame: give one of them")
        }
        if !styleWeights.isEmpty && styleWeights.count != styles.count {
            throw .invalidOption("--style-weights has \(styleWeights.count) values for \(styles.count) --style images")
        }
        if styleWeights.contains(where: { !($0 > 0) || !$0.isFinite }) { throw .invalidOption("--style-weights must be positive numbers") }
        if let height, height < 2 || height > 8192 { throw .invalidOption("--height \(height) is outside 2...8192") }
        if start < 0 { throw .invalidOption("--start \(start) is negative") }
        if let frames, frames < 1 { throw .invalidOption("--frames \(frames) must be at least 1") }
        if chunk < 1 { throw .invalidOption("--chunk \(chunk) must be at least 1") }
        let reconet = try reconetParameters(method: method)
        let overlap = self.overlap ?? Self.defaultOverlap(for: method, chunk: chunk, reconet: reconet)
        if overlap < 0 || overlap >= chunk { throw .invalidOption("--overlap \(overlap) must be in 0..<\(chunk) (below --chunk)") }
        let handover = self.handover ?? Self.defaultHandover(method: method, initialization: initialization,
                                                             seamOptions: seamTail != nil || seamRefine == true)
        if handover == .keyframe {
            if method != .gatys { throw .invalidOption("--handover keyframe is for method gatys") }
            if seamTail != nil || seamRefine == true { throw .invalidOption("--seam-tail and --seam-refine are for --handover stitch") }
        }
        let keyframes = handover == .keyframe
        let seamTail = keyframes ? 0 : self.seamTail ?? Self.defaultSeamTail(overlap: overlap, chunk: chunk)
        if seamTail < 0 || seamTail > chunk - overlap { throw .invalidOption("--seam-tail \(seamTail) must be in 0...\(chunk - overlap) (--chunk less --overlap)") }
        if seamTail > 0 && overlap == 0 { throw .invalidOption("--seam-tail needs an overlap to continue") }
        if seamRefine == true && (method != .gatys || overlap == 0) { throw .invalidOption("--seam-refine is for method gatys with an overlap") }
        let seamRefine = !keyframes && self.seamRefine ?? Self.defaultSeamRefine(method: method, overlap: overlap, initialization: initialization)
        var gatys = self.gatys
        if noStartModel { gatys.startModel = false }
        gatys.longTerm = Array(Set(gatys.longTerm)).sorted()
        if let initialization {
            switch initialization {
            case "content": gatys.start = .content
            case "noise": gatys.start = .noise(seed: 1)
            default:
                let path = Self.absolute(initialization)
                try Self.requireReadable(path)
                gatys.start = .image(path: path)
            }
        }
        do { try gatys.validate() } catch { throw .invalidOption(error.description) }
        if !(0...51).contains(crf) { throw .invalidOption("--crf \(crf) is outside 0...51") }
        if let joinGain, !Self.joinGains.contains(joinGain) {
            throw .invalidOption("--join-gain \(joinGain) is outside \(Self.joinGains)")
        }
        if !Self.presets.contains(preset) { throw .invalidOption("--preset \(preset) is not one of \(Self.presets.joined(separator: ", "))") }

        let input = Self.absolute(self.input), output = Self.absolute(self.output)
        let isSequence = try Self.checkInput(input, fps: fps)
        let styles = self.styles.map(Self.absolute)
        for style in styles { try Self.requireReadable(style) }
        var modelPath: String?
        if let model, !noStartModel {
            modelPath = Self.absolute(model)
            try Self.requireReadable(modelPath!)
        }
        let outputFolder = (output as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outputFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .badInput(path: output, reason: "the output folder \(outputFolder) does not exist")
        }
        try Self.checkOutputName(output, typed: self.output)
        if output == input { throw .invalidOption("--out must not overwrite the input") }
        return JobRequest(input: input, output: output, styles: styles, styleWeights: styleWeights, method: method,
                          gatys: method == .gatys ? gatys : nil, model: modelPath, height: height, start: start, frames: frames, chunk: chunk,
                          overlap: overlap, crf: crf, preset: preset, lossless: lossless, priority: priority == 0 ? nil : priority,
                          seamTail: seamTail == 0 ? nil : seamTail, seamRefine: seamRefine ? true : nil, fps: isSequence ? fps : nil,
                          handover: keyframes ? .keyframe : nil, reconet: reconet, joinGain: joinGain)
    }

    /// The reconet settings the options ask for: nil unless `--stabilize` (reconet only), whose
    /// companions are refused without it rather than ignored.
    func reconetParameters(method: RenderMethod) throws(CoordinatorError) -> ReCoNetParameters? {
        guard stabilize else {
            if stabilizeStrength != nil { throw .invalidOption("--stabilize-strength needs --stabilize") }
            if stabilizeFlow != nil { throw .invalidOption("--stabilize-flow needs --stabilize") }
            return nil
        }
        if method != .reconet { throw .invalidOption("--stabilize is for method reconet, not \(method)") }
        let parameters = ReCoNetParameters(stabilize: stabilizeStrength ?? ReCoNetParameters.defaultStrength,
                                           flow: stabilizeFlow ?? ReCoNetParameters().flow)
        do { try parameters.validate() } catch { throw .invalidOption(error.description) }
        return parameters
    }

    /// A comma-separated option value (`--style-weights 1,0.5`, `--long-term 1,2,4`), each item
    /// read by `parse` after trimming spaces; one bad item makes the whole a usage error.
    public static func list<T>(_ text: String, option: String, of what: String, _ parse: (String) -> T?) throws(CoordinatorError) -> [T] {
        var values: [T] = []
        for item in text.split(separator: ",") {
            guard let value = parse(item.trimmingCharacters(in: .whitespaces)) else {
                throw .invalidOption("\(option) \(text) is not a list of \(what)")
            }
            values.append(value)
        }
        return values
    }

    /// Seam tail when `--seam-tail` is not given: `ChunkPlan.defaultSeamTail`, which `vst eval`
    /// shares to read a film's plan the way submit rendered it.
    public static func defaultSeamTail(overlap: Int, chunk: Int) -> Int {
        ChunkPlan.defaultSeamTail(overlap: overlap, chunk: chunk)
    }

    /// Seam tasks when neither `--seam-refine` nor `--no-seam-refine` is given: on for gatys
    /// chains that meet at a stitched boundary. The stitch blends two chains' strokes into a
    /// softer frame (on bunny at 256 px up to 50x the style loss of the frames around it,
    /// docs/benchmarks.md "Coherent Gatys"); the seam task restyles them for a quarter to a half
    /// more rendering. Off with `--init` (per-frame rendering: both chunks render an overlap frame
    /// alike, so the stitch is already that render) and where there is no overlap.
    public static func defaultSeamRefine(method: RenderMethod, overlap: Int, initialization: String?) -> Bool {
        method == .gatys && overlap > 0 && initialization == nil
    }

    /// Hand-over when `--handover` is not given: the keyframe spine for a chained gatys job, which
    /// renders every frame once (no overlap frames twice, no seam task) and keeps still pixels
    /// still across chunks (docs/benchmarks.md, "A chunk's first frame from a ReCoNet render, and
    /// L-BFGS's memory": 0.2x the CPU of 75e898b's job); the stitch otherwise: per-frame
    /// rendering (`--init`), other methods, and a job that asks for a seam option.
    public static func defaultHandover(method: RenderMethod, initialization: String?, seamOptions: Bool = false) -> Handover {
        method == .gatys && initialization == nil && !seamOptions ? .keyframe : .stitch
    }

    /// Overlap when `--overlap` is not given: none for `reconet`, whose frames are independent
    /// (its network was trained to be stable in time, so neighbouring chunks already agree),
    /// unless it is stabilized: then the frames its chain needs to settle
    /// (`ReCoNetParameters.settlingFrames`), so that at a chunk's first own frame its chain shows
    /// what the previous chunk's does and the stitch has two near-equal renders to hand over
    /// between; `ChunkPlan.defaultOverlapFrames` for the others. Always below the chunk size.
    public static func defaultOverlap(for method: RenderMethod, chunk: Int, reconet: ReCoNetParameters? = nil) -> Int {
        let frames = method == .reconet ? reconet?.settlingFrames ?? 0 : ChunkPlan.defaultOverlapFrames
        return min(frames, max(0, chunk - 1))
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    static func requireReadable(_ path: String) throws(CoordinatorError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .badInput(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .badInput(path: path, reason: "is a folder, not a file") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .badInput(path: path, reason: "not readable") }
    }
}
