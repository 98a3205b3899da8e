import Testing
@testable import Worker

/// The stopping worker's estimate, driven with instants chosen by the test instead of sleeping.
@Suite struct FramePaceTests {
    let start = ContinuousClock.now

    @Test func beforeAnyFrameEndsNothingIsExpectedAndTheFrameIsWaitedFor() {
        let pace = FramePace(started: start)
        #expect(pace.expectedEnd == nil)
        #expect(pace.lastFrame == nil)
        // Even a deadline already past: without a measurement only trying tells.
        #expect(pace.currentFrameEnds(by: start))
    }

    @Test func theNextFrameIsExpectedToTakeWhatTheLastTook() {
        var pace = FramePace(started: start)
        pace.frameEnded(at: start + .seconds(2))
        pace.frameEnded(at: start + .seconds(5))
        #expect(pace.lastFrame == .seconds(3))
        #expect(pace.expectedEnd == start + .seconds(8))
    }

    @Test func aFrameEndingPastTheDeadlineIsNotWaitedFor() {
        var pace = FramePace(started: start)
        pace.frameEnded(at: start + .seconds(10))
        // The current frame began at 10 s and should end at 20 s.
        #expect(pace.currentFrameEnds(by: start + .seconds(20)))
        #expect(pace.currentFrameEnds(by: start + .seconds(25)))
        #expect(!pace.currentFrameEnds(by: start + .seconds(19)))
    }
}
