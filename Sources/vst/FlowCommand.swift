import ArgumentParser
import Engine
import Foundation
import Media

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
        if modes != 1 { try Self.fail("give two images, or --video FILM, or --evaluate DIR (exactly one)", code: 2) }
        if let evaluate {
            let only = pairs.map { $0.split(separator: ",").map(String.init) }
            return try FlowTool.evaluate(directory: evaluate, presets: presets, repeats: max(1, repeats), only: only)
        }
        if presets.count != 1 { try Self.fail("--preset takes a single preset here", code: 2) }
        guard let out else { try Self.fail("--out is required", code: 2) }
        if let video {
            if viz != nil || mask != nil { try Self.fail("--viz and --mask apply to two images, not --video", code: 2) }
            if let height, height < 2 { try Self.fail("--height must be at least 2", code: 2) }
            if let frames, frames < 2 { try Self.fail("--frames must be at least 2 (one pair)", code: 2) }
            return try FlowTool.video(path: video, out: out, height: height, frames: frames, preset: presets[0])
        }
        if images.count != 2 { try Self.fail("give exactly two images (got \(images.count))", code: 2) }
        try FlowTool.pair(images[0], images[1], out: out, viz: viz, mask: mask, preset: presets[0])
    }

    private func parsePresets() throws -> [FlowPreset] {
        try preset.split(separator: ",").map { name in
            guard let p = FlowPreset(rawValue: String(name)) else {
                try Self.fail("unknown preset '\(name)' (choose \(FlowPreset.allCases.map(\.rawValue).joined(separator: ", ")))", code: 2)
            }
            return p
        }
    }

    /// One `error:` line on stderr, then exit `code` (2: bad input or usage, 1: anything else).
    static func fail(_ message: String, code: Int32) throws -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        throw ExitCode(code)
    }
}

/// The glue between Media's decoded pictures and Engine's flow, kept beside the command because
/// it is only file handling; all computation is in Engine.
enum FlowTool {
    static func load(_ path: String) throws -> PlanarImage {
        do {
            let img = try ImageIO.load(path: path)
            return PlanarImage(packedRGB: img.pixels, width: img.width, height: img.height)
        } catch { try FlowCommand.fail("\(error)", code: 2) }
    }

    static func saveGrey(_ image: PlanarImage, scale: Float, to path: String) throws {
        var scaled = image
        scaled.data = scaled.data.map { $0 * scale }
        try save(RGBImage(width: image.width, height: image.height, pixels: scaled.packedRGB()), to: path)
    }

    static func save(_ image: RGBImage, to path: String) throws {
        do { try ImageIO.save(image, to: path) } catch { try FlowCommand.fail("\(error)", code: 1) }
    }

    static func write(_ flow: FlowField, to path: String) throws {
        do { try FloFile.write(flow, path: path) } catch { try FlowCommand.fail("\(error)", code: 1) }
    }

    static func compute(_ a: PlanarImage, _ b: PlanarImage, preset: FlowPreset) throws -> FlowField {
        do { return try DISFlow(preset: preset).flow(from: a, to: b) } catch { try FlowCommand.fail("\(error)", code: 2) }
    }

    static func pair(_ pathA: String, _ pathB: String, out: String, viz: String?, mask: String?, preset: FlowPreset) throws {
        let a = try load(pathA), b = try load(pathB)
        if a.width != b.width || a.height != b.height {
            try FlowCommand.fail("\(pathA) is \(a.width)x\(a.height) but \(pathB) is \(b.width)x\(b.height)", code: 2)
        }
        let forward = try compute(a, b, preset: preset)
        try write(forward, to: out)
        if let viz {
            try save(RGBImage(width: forward.width, height: forward.height, pixels: FlowVisualization.rgb(forward)), to: viz)
        }
        if let mask {
            let reverse = try compute(b, a, preset: preset)
            try saveGrey(OcclusionMask.reliability(of: forward, reverse: reverse), scale: 255, to: mask)
        }
    }

    static func video(path: String, out: String, height: Int?, frames: Int?, preset: FlowPreset) throws {
        let reader: VideoReader
        do { reader = try VideoReader(path: path, height: height) } catch { try FlowCommand.fail("\(error)", code: 2) }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            try FlowCommand.fail("cannot create \(out): \(error.localizedDescription)", code: 1)
        }
        let frameLimit = min(frames ?? Int.max, reader.info.frameCount)
        let total = max(frameLimit - 1, 0)
        let progress = FlowProgress(total: total, label: "flow")
        func next() throws -> (Int, PlanarImage)? {
            do {
                guard let frame = try reader.nextFrame() else { return nil }
                return (frame.index, PlanarImage(packedRGB: frame.image.pixels, width: frame.image.width, height: frame.image.height))
            } catch { try FlowCommand.fail("\(error)", code: 1) }
        }
        guard var previous = try next() else { try FlowCommand.fail("\(path) has no frames", code: 2) }
        var done = 0
        while done < total, let current = try next() {
            let name = { (i: Int, j: Int) in (out as NSString).appendingPathComponent(String(format: "%06d_%06d.flo", i, j)) }
            try write(try compute(previous.1, current.1, preset: preset), to: name(previous.0, current.0))
            try write(try compute(current.1, previous.1, preset: preset), to: name(current.0, previous.0))
            done += 1
            progress.update(done)
            previous = current
        }
        progress.finish(done)
    }

    /// EPE and time per pair and preset, printed as a Markdown table. The time covers what
    /// `vst flow A B --out F` does: decode both PNGs, compute, encode the .flo; "s" is wall-clock,
    /// "cpu s" the process's CPU time (all threads), both medians over the repeats.
    static func evaluate(directory: String, presets: [FlowPreset], repeats: Int, only: [String]?) throws {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory).sorted() else {
            try FlowCommand.fail("cannot list \(directory)", code: 2)
        }
        if let only, let missing = only.first(where: { !names.contains($0) }) {
            try FlowCommand.fail("no pair '\(missing)' under \(directory)", code: 2)
        }
        let pairs = names.filter { fm.fileExists(atPath: (directory as NSString).appendingPathComponent("\($0)/flow10.flo")) }
            .filter { only?.contains($0) ?? true }
        if pairs.isEmpty { try FlowCommand.fail("no */frame10.png, frame11.png, flow10.flo under \(directory)", code: 2) }
        print("| pair | size | " + presets.map { "\($0.rawValue) EPE | s | cpu s" }.joined(separator: " | ") + " |")
        print("| --- | --- | " + presets.map { _ in "--- | --- | ---" }.joined(separator: " | ") + " |")
        var totals = [(epe: Double, wall: Double, cpu: Double)](repeating: (0, 0, 0), count: presets.count)
        for name in pairs {
            let dir = (directory as NSString).appendingPathComponent(name)
            let truth: FlowField
            do { truth = try FloFile.read(path: dir + "/flow10.flo") } catch { try FlowCommand.fail("\(error)", code: 2) }
            var cells: [String] = []
            for (index, preset) in presets.enumerated() {
                var times: [Double] = [], cpus: [Double] = [], flow = truth
                for _ in 0..<repeats {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
                    let a = try load(dir + "/frame10.png"), b = try load(dir + "/frame11.png")
                    flow = try compute(a, b, preset: preset)
                    _ = FloFile.encode(flow)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    cpus.append(processCPUSeconds() - cpuStart)
                }
                let epe = flow.averageEndpointError(to: truth) ?? .nan
                let wall = times.sorted()[times.count / 2], cpu = cpus.sorted()[cpus.count / 2]
                totals[index].epe += epe; totals[index].wall += wall; totals[index].cpu += cpu
                cells.append(String(format: "%.3f | %.3f | %.3f", epe, wall, cpu))
            }
            print("| \(name) | \(truth.width)x\(truth.height) | " + cells.joined(separator: " | ") + " |")
            fflush(stdout)
        }
        let n = Double(pairs.count)
        print("| mean (\(pairs.count) pairs) | | " + totals.map { String(format: "%.3f | %.3f | %.3f", $0.epe / n, $0.wall / n, $0.cpu / n) }.joined(separator: " | ") + " |")
    }

    /// User plus system CPU time of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// A one-line progress bar with an ETA on a terminal; plain "label i/n" lines otherwise (logs, CI).
final class FlowProgress {
    let total: Int, label: String
    let start = Date()
    let isTerminal = isatty(STDERR_FILENO) != 0
    var lastPlain = -1

    init(total: Int, label: String) { self.total = total; self.label = label }

    func update(_ done: Int) {
        let elapsed = Date().timeIntervalSince(start)
        let eta = done > 0 && total > done ? elapsed / Double(done) * Double(total - done) : 0
        if isTerminal {
            let width = 30, filled = total > 0 ? min(width, width * done / total) : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %d/%d  %.1fs elapsed, ETA %.0fs ", label, bar, done, total, elapsed, eta).utf8))
        } else if done * 10 / max(total, 1) != lastPlain || done == total {
            lastPlain = done * 10 / max(total, 1)
            FileHandle.standardError.write(Data("\(label) \(done)/\(total) pairs, \(String(format: "%.1f", elapsed))s\n".utf8))
        }
    }

    func finish(_ done: Int) {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        FileHandle.standardError.write(Data("\(label): \(done) pairs, both directions, in \(String(format: "%.1f", Date().timeIntervalSince(start)))s\n".utf8))
    }
}
