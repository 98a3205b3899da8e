import Foundation
import Testing
@testable import Coordinator

/// The work a job's progress counts: every render planned (chunks with their overlaps, seam
/// tasks), each one moving the bar by one, while final frames come out in jumps.
@Suite struct WorkProgressTests {
    @Test func workRisesByOneWithEveryRenderAcrossOverlapsAndSeams() throws {
        // Chunks render 0..<4, 3..<8, 7..<12, 11..<16 (19 renders); seams 3..<5, 7..<9, 11..<13 (6).
        let fixture = try RunnerFixture(frames: 16, chunk: 4, overlap: 1, method: .gatys, seamTail: 1, seamRefine: true)
        defer { fixture.remove() }
        let runner = fixture.runner
        #expect(runner.rendersTotal == 25)
        var reports = [runner.progress(workersBusy: 0, workers: 2)]
        var driver = FarmDriver(fixture)
        try driver.run(fixture, budget: .max, rendered: {
            let report = runner.progress(workersBusy: 1, workers: 2)
            #expect(report.rendersDone == reports.last!.rendersDone + 1, "\(report.line)")
            #expect(report.framesDone >= reports.last!.framesDone)
            reports.append(report)
        })
        #expect(runner.isComplete)
        #expect(reports.map(\.rendersDone) == Array(0...25))
        let end = runner.progress(workersBusy: 0, workers: 2)
        #expect(end.rendersDone == 25 && end.framesDone == 16 && end.fraction == 1)
        // While the work moved steadily, final frames waited for overlaps and seams.
        #expect(reports.contains { $0.rendersDone > 2 * $0.framesDone })
    }

    @Test func etaFollowsTheWorkThenTheEncoding() {
        let rendering = ProgressReport(framesDone: 0, framesTotal: 100, rendersDone: 30, rendersTotal: 130, elapsed: .seconds(6),
                                       workersBusy: 2, workers: 2)
        #expect(rendering.eta == .seconds(20))                   // 100 renders left at 5 a second
        #expect(rendering.line == "work 23% (30/130 renders), 0/100 frames out, 5.0 renders/s, ETA 0:20, 2/2 workers busy")
        let encoding = ProgressReport(framesDone: 80, framesTotal: 100, rendersDone: 130, rendersTotal: 130, elapsed: .seconds(8),
                                      workersBusy: 0, workers: 2)
        #expect(encoding.eta == .seconds(2))                     // every render in: 20 frames left at 10 a second
    }
}
