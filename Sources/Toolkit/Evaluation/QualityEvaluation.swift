import Engine
import Foundation
import Media
import MediaBridge

/// `vst eval`: reads the input film and one or two styled films frame by frame, computes the
/// input's motion between consecutive frames once (`FrameMotion`) and the warping error of each
/// film against it, and writes the report and its plot. Only two frames of each film are in
/// memory at a time.
public struct QualityEvaluation: Sendable {
    public var input: String
    public var styled: String
    public var baseline: String?
    /// The input frame the styled film's frame 0 was made from (`submit --start`).
    public var start = 0
    /// Compare at most this many frames (default: the styled film's).
    public var frames: Int?
    /// Chunk plan the film was rendered with, for the boundary figures.
    public var plan: (chunk: Int, overlap: Int)?
    /// The seam tail it was stitched with (`submit --seam-tail`): those frames after each
    /// overlap are part of the hand-over, so they count as boundary frames too.
    public var seamTail = 0
    public var plotPath: String?
    /// Where to write input | styled next to each other, with the styled film's sound.
    public var sideBySidePath: String?
    public var flowPreset: FlowPreset = .balanced
    /// Called after every frame pair with (pairs done, pairs in all).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(input: String, styled: String) {
        self.input = input
        self.styled = styled
    }

    /// Reads `{"chunk": N, "overlap": K}`, optionally with `"seamTail": T` (the `submit` options
    /// a film was made with; without it, submit's default tail for that chunk and overlap).
    public static func readPlan(path: String) throws(ToolkitError) -> (chunk: Int, overlap: Int, seamTail: Int) {
        struct File: Decodable { var chunk: Int; var overlap: Int; var seamTail: Int? }
        guard let data = FileManager.default.contents(atPath: path) else { throw .badInput(path: path, reason: "cannot read") }
        guard let file = try? JSONDecoder().decode(File.self, from: data) else {
            throw .badInput(path: path, reason: #"not a chunk plan (expected {"chunk": N, "overlap": K})"#)
        }
        guard file.chunk >= 1, file.overlap >= 0, file.overlap < file.chunk, (0...(file.chunk - file.overlap)).contains(file.seamTail ?? 0) else {
            throw .badInput(path: path, reason: "chunk must be >= 1, overlap in 0..<chunk and seamTail in 0...chunk - overlap")
        }
        return (file.chunk, file.overlap, file.seamTail ?? ChunkPlan.defaultSeamTail(overlap: file.overlap, chunk: file.chunk))
    }

    public func run() throws(ToolkitError) -> WarpingReport {
        func open(_ path: String, height: Int? = nil, start: Int = 0) throws(ToolkitError) -> VideoReader {
            do { return try VideoReader(path: path, height: height, startFrame: start) } catch {
                // Media's errors usually name the file already.
                let text = "\(error)"
                throw text.contains(path) ? .invalidOption(text) : .badInput(path: path, reason: text)
            }
        }
        let styledReader = try open(styled)
        let size = (styledReader.info.width, styledReader.info.height)
        let inputReader = try open(input, height: size.1, start: start)
        guard inputReader.info.width == size.0 else {
            throw .invalidOption("\(styled) is \(size.0)x\(size.1) but \(input) scales to \(inputReader.info.width)x\(size.1): not the same picture")
        }
        let baselineReader = try baseline.map { (path) throws(ToolkitError) -> VideoReader in try open(path) }
        if let baselineReader, baselineReader.info.width != size.0 || baselineReader.info.height != size.1 {
            throw .invalidOption("\(baseline!) is \(baselineReader.info.width)x\(baselineReader.info.height), \(styled) is \(size.0)x\(size.1)")
        }
        var count = min(styledReader.info.frameCount, inputReader.info.frameCount - start)
        if let b = baselineReader { count = min(count, b.info.frameCount) }
        if let frames { count = min(count, frames) }
        guard count >= 2 else { throw .invalidOption("need at least two frames to compare (have \(max(0, count)))") }

        let flow = DISFlow(preset: flowPreset)
        var sideBySide: VideoWriter?
        if let sideBySidePath {
            do {
                sideBySide = try VideoWriter(path: sideBySidePath, width: 2 * size.0, height: size.1, frameRate: styledReader.info.frameRate,
                                             timeBase: styledReader.info.timeBase, options: EncoderOptions(lossless: size.1 % 2 == 1),
                                             copyingStreamsFrom: styled)
            } catch { throw .cannotWrite(path: sideBySidePath, reason: "\(error)") }
        }
        var inputErrors: [Double] = [], styledErrors: [Double] = [], baselineErrors: [Double] = []
        var previous: (input: PlanarImage, styled: PlanarImage, baseline: PlanarImage?)?
        for t in 0..<count {
            func read(_ reader: VideoReader, _ path: String) throws(ToolkitError) -> VideoFrame {
                let frame: VideoFrame?
                do { frame = try reader.nextFrame() } catch { throw .badInput(path: path, reason: "\(error)") }
                guard let frame else { throw .badInput(path: path, reason: "ends before frame \(t)") }
                return frame
            }
            let inputFrame = try read(inputReader, input), styledFrame = try read(styledReader, styled)
            let current = (input: inputFrame.image.planar, styled: styledFrame.image.planar,
                           baseline: try baselineReader.map { (r) throws(ToolkitError) -> PlanarImage in try read(r, baseline!).image.planar })
            if let sideBySide {
                do { try sideBySide.write(Self.nextToEachOther(inputFrame.image, styledFrame.image), pts: styledFrame.pts) } catch {
                    throw .cannotWrite(path: sideBySidePath!, reason: "\(error)")
                }
            }
            if let previous {
                let motion: FrameMotion
                do { motion = try FrameMotion(previous: previous.input, current: current.input, flow: flow) } catch {
                    throw .badInput(path: input, reason: "flow between frames \(t - 1) and \(t): \(error)")
                }
                inputErrors.append(WarpingError.between(previous: previous.input, current: current.input, motion: motion))
                styledErrors.append(WarpingError.between(previous: previous.styled, current: current.styled, motion: motion))
                if let b = current.baseline, let p = previous.baseline {
                    baselineErrors.append(WarpingError.between(previous: p, current: b, motion: motion))
                }
                progress?(t, count - 1)
            }
            previous = current
        }

        if let sideBySide {
            do { try sideBySide.finish() } catch { throw .cannotWrite(path: sideBySidePath!, reason: "\(error)") }
        }
        let chunkPlan = plan.map { ChunkPlan(frameCount: count, chunkFrames: $0.chunk, overlapFrames: $0.overlap) }
        let boundary = chunkPlan.map { WarpingReport.boundaryFrames(of: $0, seamTail: seamTail) } ?? []
        let set = Set(boundary)
        var report = WarpingReport(frames: count, flowPreset: flowPreset.rawValue, boundaryFrames: boundary,
                                   input: .init(path: input, errors: inputErrors, boundaryFrames: set),
                                   styled: .init(path: styled, errors: styledErrors, boundaryFrames: set))
        if let baseline {
            report.baseline = .init(path: baseline, errors: baselineErrors, boundaryFrames: set)
            let base = report.baseline!.mean
            if base > 0 { report.styled.ratioToBaseline = report.styled.mean / base }
        }
        if let plotPath {
            var series: [(values: [Double?], color: (UInt8, UInt8, UInt8))] = []
            if let b = report.baseline { series.append((b.perFrame, ErrorPlot.baselineColor)) }
            series.append((report.input.perFrame, ErrorPlot.inputColor))
            series.append((report.styled.perFrame, ErrorPlot.styledColor))
            let image = ErrorPlot().draw(series: series, frames: count, boundaryFrames: boundary,
                                         chunkStarts: chunkPlan?.chunks.dropFirst().map(\.ownStart) ?? [])
            do { try ImageIO.save(image, to: plotPath) } catch { throw .cannotWrite(path: plotPath, reason: "\(error)") }
            report.plot = plotPath
            report.plotTop = ErrorPlot.top(of: series.map(\.values))
        }
        return report
    }

    /// `left` and `right` (same height) in one picture.
    static func nextToEachOther(_ left: RGBImage, _ right: RGBImage) -> RGBImage {
        let width = left.width + right.width
        var pixels = [UInt8](repeating: 0, count: width * left.height * 3)
        for y in 0..<left.height {
            pixels.replaceSubrange((y * width * 3)..<((y * width + left.width) * 3),
                                   with: left.pixels[(y * left.width * 3)..<((y + 1) * left.width * 3)])
            pixels.replaceSubrange(((y * width + left.width) * 3)..<((y + 1) * width * 3),
                                   with: right.pixels[(y * right.width * 3)..<((y + 1) * right.width * 3)])
        }
        return RGBImage(width: width, height: left.height, pixels: pixels)
    }
}
