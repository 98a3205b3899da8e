import Testing
import Coordinator

@Suite struct ProgressReportTests {
    @Test func lineShowsFramesSpeedEtaAndWorkers() {
        let report = ProgressReport(framesDone: 40, framesTotal: 132, elapsed: .seconds(8), workersBusy: 2, workers: 3)
        #expect(report.framesPerSecond == 5)
        #expect(report.eta == .milliseconds(18_400))
        // Without renders (an older coordinator's status) the work is the final frames.
        #expect(report.line == "work 30% (40/132 renders), 40/132 frames out, 5.0 renders/s, ETA 0:18, 2/3 workers busy")
        #expect(report.bar(width: 10) == "[###-------] 30% 40/132 renders  40/132 frames out  5.0 renders/s  ETA 0:18  workers 2/3")
    }

    @Test func unknownSpeedAndLongEtas() {
        let start = ProgressReport(framesDone: 0, framesTotal: 10, elapsed: .zero, workersBusy: 0, workers: 1)
        #expect(start.line == "work 0% (0/10 renders), 0/10 frames out, -- renders/s, ETA --:--, 0/1 workers busy")
        #expect(ProgressReport.clock(.seconds(3725)) == "1:02:05")
        #expect(ProgressReport.clock(.seconds(59.6)) == "1:00")
        let fast = ProgressReport(framesDone: 100, framesTotal: 100, elapsed: .seconds(4), workersBusy: 0, workers: 2)
        #expect(fast.bar(width: 4).hasPrefix("[####] 100% 100/100 renders  100/100 frames out  25.0 renders/s  ETA 0:00"))
    }
}
