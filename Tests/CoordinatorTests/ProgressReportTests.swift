import Testing
import Coordinator

@Suite struct ProgressReportTests {
    @Test func lineShowsFramesSpeedEtaAndWorkers() {
        let report = ProgressReport(framesDone: 40, framesTotal: 132, elapsed: .seconds(8), workersBusy: 2, workers: 3)
        #expect(report.framesPerSecond == 5)
        #expect(report.eta == .milliseconds(18_400))
        #expect(report.line == "frames 40/132 (30%), 5.0 fps, ETA 0:18, 2/3 workers busy")
        #expect(report.bar(width: 10) == "[###-------] 40/132  5.0 fps  ETA 0:18  workers 2/3")
    }

    @Test func unknownSpeedAndLongEtas() {
        let start = ProgressReport(framesDone: 0, framesTotal: 10, elapsed: .zero, workersBusy: 0, workers: 1)
        #expect(start.line == "frames 0/10 (0%), -- fps, ETA --:--, 0/1 workers busy")
        #expect(ProgressReport.clock(.seconds(3725)) == "1:02:05")
        #expect(ProgressReport.clock(.seconds(59.6)) == "1:00")
        let fast = ProgressReport(framesDone: 100, framesTotal: 100, elapsed: .seconds(4), workersBusy: 0, workers: 2)
        #expect(fast.bar(width: 4).hasPrefix("[####] 100/100  25.0 fps  ETA 0:00"))
    }
}
