import ArgumentParser
import Engine
import Foundation
import Toolkit
import ToolSupport

/// `vst flow`: dense optical flow between two pictures or along a film, written as Middlebury
/// .flo files; `--evaluate` measures accuracy and speed on ground-truth pairs.
struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Optical flow (DIS with variational refinement) between two images or along a video.",
        discussion: """
            Two images: writes the flow A->B as a Middlebury .flo file; --viz adds its colour coding, \
            --mask its reliability mask on A's grid (Ruder et al. 2016: white where B shows A's \
            pixel and the flow is smooth, black where it is disoccluded, leaves the frame or sits on \
            a motion boundary).

            --video FILM --out DIR: the flows of every consecutive frame pair, forward as \
            DIR/000000_000001.flo and backward as DIR/000001_000000.flo.

            --evaluate DIR: average endpoint error and time on every DIR/*/ holding frame10.png, \
            frame11.png and flow10.flo, as a Markdown table.
            """)

    @Argument(help: "First and second image (PNG, JPEG, ...).") var images: [String] = []
    @Option(help: "Output: a .flo file for two images, a folder for --video.") var out: String?
    @Option(help: "Write the flow's Middlebury colour coding to this PNG.") var viz: String?
    @Option(help: "Write the reliability mask (white reliable, black not) to this PNG.") var mask: String?
    @Option(help: "Compute the flows of every consecutive frame pair of this film, both directions.") var video: String?
    @Option(help: "With --video: scale frames to this height first.") var height: Int?
    @Option(help: "With --video: read at most this many frames (default: all).") var frames: Int?
    @Option(help: "Measure EPE and time on every ground-truth pair under this folder.") var evaluate: String?
    @Option(help: "Timed runs per pair with --evaluate (the median is reported).") var repeats: Int = 3
    @Option(help: "With --evaluate: only these pairs (comma-separated folder names).") var pairs: String?
    @Option(help: "Speed/quality preset: \(FlowPreset.allCases.map(\.rawValue).joined(separator: ", ")); with --evaluate a comma-separated list.")
    var preset: String = FlowPreset.balanced.rawValue

    func run() throws {
        let presets = try parsePresets()
        let modes = [!images.isEmpty, video != nil, evaluate != nil].filter { $0 }.count
        if modes != 1 { Self.failWithOneLine("give two images, or --video FILM, or --evaluate DIR (exactly one)", status: 2) }
        if let evaluate {
            let only = pairs.map { $0.split(separator: ",").map(String.init) }
            return try FlowTool.evaluate(directory: evaluate, presets: presets, repeats: max(1, repeats), only: only) {
                print($0)
                fflush(stdout)
            }
        }
        if presets.count != 1 { Self.failWithOneLine("--preset takes a single preset here", status: 2) }
        guard let out else { Self.failWithOneLine("--out is required", status: 2) }
        if let video {
            if viz != nil || mask != nil { Self.failWithOneLine("--viz and --mask apply to two images, not --video", status: 2) }
            if let height, height < 2 { Self.failWithOneLine("--height must be at least 2", status: 2) }
            if let frames, frames < 2 { Self.failWithOneLine("--frames must be at least 2 (one pair)", status: 2) }
            return try FlowTool.video(path: video, out: out, height: height, frames: frames, preset: presets[0])
        }
        if images.count != 2 { Self.failWithOneLine("give exactly two images (got \(images.count))", status: 2) }
        try FlowTool.pair(images[0], images[1], out: out, viz: viz, mask: mask, preset: presets[0])
    }

    private func parsePresets() throws -> [FlowPreset] {
        preset.split(separator: ",").map { name in
            guard let p = FlowPreset(rawValue: String(name)) else {
                Self.failWithOneLine("unknown preset '\(name)' (choose \(FlowPreset.allCases.map(\.rawValue).joined(separator: ", ")))", status: 2)
            }
            return p
        }
    }

}
