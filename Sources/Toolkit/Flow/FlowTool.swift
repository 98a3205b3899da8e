import Engine
import Foundation
import Media
import MediaBridge

/// `vst flow`'s work: Media's decoded pictures through Engine's flow, written as Middlebury .flo
/// files, and the evaluation harness that measures accuracy and speed on ground-truth pairs.
/// All computation is in Engine; this is file handling and reporting.
public enum FlowTool {
    /// The flow A->B of two pictures to `out` (.flo); its colour coding to `viz` and the
    /// reliability mask on A's grid (white reliable, black not) to `mask` when given.
    public static func pair(_ pathA: String, _ pathB: String, out: String, viz: String?, mask: String?,
                            preset: FlowPreset) throws(ToolkitError) {
        let a = try load(pathA), b = try load(pathB)
        if a.width != b.width || a.height != b.height {
            throw .input("\(pathA) is \(a.width)x\(a.height) but \(pathB) is \(b.width)x\(b.height)")
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

    /// The flows of every consecutive frame pair of a film (at most `frames` frames, scaled to
    /// `height`), forward as OUT/000000_000001.flo and backward as OUT/000001_000000.flo.
    public static func video(path: String, out: String, height: Int?, frames: Int?, preset: FlowPreset) throws(ToolkitError) {
        let reader: VideoReader
        do { reader = try VideoReader(path: path, height: height) } catch { throw .input("\(error)") }
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
            throw .failed("cannot create \(out): \(error.localizedDescription)")
        }
        let frameLimit = min(frames ?? Int.max, reader.info.frameCount)
        let total = max(frameLimit - 1, 0)
        let progress = FlowProgress(total: total, label: "flow")
        func next() throws(ToolkitError) -> (Int, PlanarImage)? {
            do {
                guard let frame = try reader.nextFrame() else { return nil }
                return (frame.index, frame.image.planar)
            } catch { throw .failed("\(error)") }
        }
        guard var previous = try next() else { throw .input("\(path) has no frames") }
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

    /// EPE and time per pair and preset, as Markdown table lines handed to `emit` one by one.
    /// Pairs are the folders under `directory` holding frame10.png, frame11.png and flow10.flo
    /// (`only`: just these). The time covers what `vst flow A B --out F` does: decode both PNGs,
    /// compute, encode the .flo; "s" is wall-clock, "cpu s" the process's CPU time (all
    /// threads), both medians over the repeats.
    public static func evaluate(directory: String, presets: [FlowPreset], repeats: Int, only: [String]?,
                                emit: (String) -> Void) throws(ToolkitError) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory).sorted() else { throw .input("cannot list \(directory)") }
        if let only, let missing = only.first(where: { !names.contains($0) }) {
            throw .input("no pair '\(missing)' under \(directory)")
        }
        let pairs = names.filter { fm.fileExists(atPath: (directory as NSString).appendingPathComponent("\($0)/flow10.flo")) }
            .filter { only?.contains($0) ?? true }
        if pairs.isEmpty { throw .input("no */frame10.png, frame11.png, flow10.flo under \(directory)") }
        emit("| pair | size | " + presets.map { "\($0.rawValue) EPE | s | cpu s" }.joined(separator: " | ") + " |")
        emit("| --- | --- | " + presets.map { _ in "--- | --- | ---" }.joined(separator: " | ") + " |")
        var totals = [(epe: Double, wall: Double, cpu: Double)](repeating: (0, 0, 0), count: presets.count)
        for name in pairs {
            let dir = (directory as NSString).appendingPathComponent(name)
            let truth: FlowField
            do { truth = try FloFile.read(path: dir + "/flow10.flo") } catch { throw .input("\(error)") }
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
            emit("| \(name) | \(truth.width)x\(truth.height) | " + cells.joined(separator: " | ") + " |")
        }
        let n = Double(pairs.count)
        emit("| mean (\(pairs.count) pairs) | | " + totals.map { String(format: "%.3f | %.3f | %.3f", $0.epe / n, $0.wall / n, $0.cpu / n) }.joined(separator: " | ") + " |")
    }

    static func load(_ path: String) throws(ToolkitError) -> PlanarImage {
        do { return try ImageIO.load(path: path).planar } catch { throw .input("\(error)") }
    }

    static func saveGrey(_ image: PlanarImage, scale: Float, to path: String) throws(ToolkitError) {
        var scaled = image
        scaled.data = scaled.data.map { $0 * scale }
        try save(RGBImage(planar: scaled), to: path)
    }

    static func save(_ image: RGBImage, to path: String) throws(ToolkitError) {
        do { try ImageIO.save(image, to: path) } catch { throw .failed("\(error)") }
    }

    static func write(_ flow: FlowField, to path: String) throws(ToolkitError) {
        do { try FloFile.write(flow, path: path) } catch { throw .failed("\(error)") }
    }

    static func compute(_ a: PlanarImage, _ b: PlanarImage, preset: FlowPreset) throws(ToolkitError) -> FlowField {
        do { return try DISFlow(preset: preset).flow(from: a, to: b) } catch { throw .input("\(error)") }
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
