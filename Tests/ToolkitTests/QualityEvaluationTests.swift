import Foundation
import Testing
import Engine
import Media
@testable import Toolkit

@Suite struct QualityEvaluationTests {
    @Test func boundaryFramesSpanEachOverlapAndTheNextOwnFrame() {
        #expect(WarpingReport.boundaryFrames(of: ChunkPlan(frameCount: 30, chunkFrames: 12, overlapFrames: 4)) == [8, 9, 10, 11, 12, 20, 21, 22, 23, 24])
        #expect(WarpingReport.boundaryFrames(of: ChunkPlan(frameCount: 20, chunkFrames: 10, overlapFrames: 0)) == [10])
        #expect(WarpingReport.boundaryFrames(of: ChunkPlan(frameCount: 30, chunkFrames: 12, overlapFrames: 4), seamTail: 2) == [8, 9, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 26])
        let series = WarpingReport.Series(path: "x", errors: [1, 2, 3, 4], boundaryFrames: [2, 3])
        #expect(series.perFrame == [nil, 1, 2, 3, 4] && series.mean == 2.5)
        #expect(series.boundaryMean == 2.5 && series.interiorMean == 2.5 && series.boundaryToInterior == 1)
    }

    /// Lossless films of the pan (`PanFilm`): the input itself scores its own
    /// error, a copy with a changed pattern at frame 5 scores high there and only there.
    @Test func evaluatesFilmsFrameByFrameAndDrawsThePlot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (w, h) = (PanFilm.width, PanFilm.height)
        let input = PanFilm.pan(seed: 1, contrast: 40), other = PanFilm.pan(seed: 2, contrast: 60)
        func write(_ frames: [[UInt8]], _ name: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            let writer = try VideoWriter(path: path, width: w, height: h, frameRate: Rational(25, 1), timeBase: Rational(1, 25),
                                         options: EncoderOptions(lossless: true))
            for (i, f) in frames.enumerated() { try writer.write(RGBImage(width: w, height: h, pixels: f), pts: Int64(i)) }
            try writer.finish()
            return path
        }
        let inputPath = try write(input, "in.mkv")
        let cut = try write((0..<input.count).map { $0 < 5 ? input[$0] : other[$0] }, "cut.mkv")
        var evaluation = QualityEvaluation(input: inputPath, styled: cut)
        evaluation.baseline = inputPath
        evaluation.plan = (chunk: 5, overlap: 0)
        evaluation.plotPath = folder.appendingPathComponent("plot.png").path
        evaluation.sideBySidePath = folder.appendingPathComponent("both.mkv").path
        let report = try evaluation.run()
        #expect(report.frames == input.count && report.boundaryFrames == [5])
        #expect(report.baseline?.perFrame == report.input.perFrame)
        let errors = report.styled.perFrame.compactMap { $0 }
        #expect(errors.count == input.count - 1)
        #expect(errors[4] > 20 * max(errors[3], errors[5]), "\(errors)")
        #expect((report.styled.boundaryToInterior ?? 0) > 20)
        let plot = try ImageIO.load(path: evaluation.plotPath!)
        #expect(plot.width == 800 && plot.height == 300)
        #expect(plot.pixels.contains(30) && plot.pixels.contains(220))   // the blue line and the boundary band

        let both = try VideoReader(path: evaluation.sideBySidePath!)
        var sideFrames = 0
        while let frame = try both.nextFrame() {
            #expect(frame.image.width == 2 * w && frame.image.height == h)
            sideFrames += 1
        }
        #expect(sideFrames == input.count)

        var mismatched = QualityEvaluation(input: inputPath, styled: cut)
        mismatched.start = input.count - 1
        #expect(throws: ToolkitError.self) { try mismatched.run() }
    }
}
