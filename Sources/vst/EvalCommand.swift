import ArgumentParser
import Engine
import Foundation
import Toolkit

/// `vst eval`: how temporally consistent a styled film is, and whether its chunk seams show.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Warping error (Lai et al. 2018) of a styled film against its input; prints JSON, draws a PNG plot.",
        discussion: """
            For every frame t >= 1, the styled frame t-1 is carried onto frame t by the optical flow of the \
            input and compared with styled frame t where that flow is reliable: the mean squared RGB \
            distance (0...1 per channel) over reliable pixels. With --chunks (or --chunk/--overlap), the \
            mean over chunk-boundary frames (each overlap, the next chunk's first own frame and --seam-tail more) and over \
            the others. The plot: blue the styled film, orange --baseline, green the input itself (the \
            floor), light red bands the boundary frames, red lines each chunk's first own frame.
            """)

    @Argument(help: "The input film.") var input: String
    @Argument(help: "The styled film (e.g. vst-coord submit's output).") var styled: String
    @Option(help: "A JSON file {\"chunk\": N, \"overlap\": K}: the plan the film was rendered with.") var chunks: String?
    @Option(help: "Frames per chunk the film was rendered with (instead of --chunks).") var chunk: Int?
    @Option(help: "Overlap the film was rendered with (with --chunk; default 4).") var overlap: Int?
    @Option(help: "Seam tail the film was stitched with (with --chunk; default submit's: the overlap, at most chunk - overlap): those frames count as boundary frames.") var seamTail: Int?
    @Option(help: "The input frame the styled film starts at (submit --start).") var start = 0
    @Option(help: "Compare at most this many frames.") var frames: Int?
    @Option(help: "A second styled film of the same input to compare with (e.g. per-frame rendering).") var baseline: String?
    @Option(help: "Where to write the PNG plot (default: STYLED.warping.png).") var plot: String?
    @Option(help: "Flow preset: fast, balanced or accurate.") var flow = FlowPreset.balanced.rawValue
    @Option(help: "Also write input | styled next to each other to this film, with the styled film's sound.") var sideBySide: String?

    func run() throws {
        var evaluation = QualityEvaluation(input: input, styled: styled)
        evaluation.baseline = baseline
        guard start >= 0 else { throw ToolkitError.invalidOption("--start must be >= 0") }
        evaluation.start = start
        if let frames, frames < 2 { throw ToolkitError.invalidOption("--frames must be at least 2") }
        evaluation.frames = frames
        guard let preset = FlowPreset(rawValue: flow) else { throw ToolkitError.invalidOption("--flow must be fast, balanced or accurate") }
        evaluation.flowPreset = preset
        if chunks != nil && chunk != nil { throw ToolkitError.invalidOption("give --chunks or --chunk, not both") }
        if let chunks {
            let plan = try QualityEvaluation.readPlan(path: chunks)
            evaluation.plan = (plan.chunk, plan.overlap)
            evaluation.seamTail = plan.seamTail
        }
        if let chunk {
            let overlap = self.overlap ?? 4
            guard chunk >= 1, (0..<chunk).contains(overlap) else { throw ToolkitError.invalidOption("--chunk must be >= 1 and --overlap in 0..<chunk") }
            guard (0...(chunk - overlap)).contains(seamTail ?? 0) else { throw ToolkitError.invalidOption("--seam-tail must be in 0...chunk - overlap") }
            evaluation.plan = (chunk, overlap)
            evaluation.seamTail = seamTail ?? ChunkPlan.defaultSeamTail(overlap: overlap, chunk: chunk)
        } else if overlap != nil && chunks == nil {
            throw ToolkitError.invalidOption("--overlap needs --chunk")
        }
        if seamTail != nil && chunk == nil { throw ToolkitError.invalidOption("--seam-tail needs --chunk") }
        evaluation.plotPath = plot ?? styled + ".warping.png"
        evaluation.sideBySidePath = sideBySide
        evaluation.progress = { done, total in
            FileHandle.standardError.write(Data("\rvst eval: \(done)/\(total) frame pairs".utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        let report = try evaluation.run()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
