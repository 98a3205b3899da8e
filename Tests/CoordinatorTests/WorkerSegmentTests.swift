import Foundation
import Testing

/// Jobs without overlap whose workers encode their own segments (`SegmentSpec`): the film's
/// packets go out as clips, encoded segments come back, and the output is what the
/// coordinator-encoded path gives: every frame exact with --lossless, the same timestamps and
/// sound; a worker lost mid-chunk costs only its chunk.
@Suite(.serialized) struct WorkerSegmentTests {
    static let clip = Fixtures.sharedMedia("bigbuckbunny.mp4")

    @Test(.enabled(if: clip != nil, "needs ../shared/media"))
    func copyEncodedByTheWorkersIsBitExact() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Self.clip!, output = folder.appendingPathComponent("exact.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "copy", "--lossless", "--height", "144",
                                                           "--chunk", "20", "--overlap", "0", "--local-workers", "2", "--verbose",
                                                           "--out", output], timeout: .seconds(240))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("workers encode their own segments"), "\(result.stderr)")
        #expect(try FrameComparison.differingFrames(output, input, height: 144) == 0)
        #expect(try Tools.videoTimes(output) == Tools.videoTimes(input))
        #expect(try Tools.audioPackets(output) == Tools.audioPackets(input))
    }

    @Test func withOverlapTheCoordinatorStillEncodes() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 12)
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "copy", "--lossless", "--chunk", "6",
                                                           "--overlap", "2", "--local-workers", "1", "--verbose",
                                                           "--out", folder.appendingPathComponent("o.mkv").path], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("workers encode their own segments"), "\(result.stderr)")
    }

    @Test func aKilledWorkersChunkIsEncodedByTheOther() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Six chunks of 1 s for two workers: both still busy for seconds after the first segment.
        let input = try Tools.syntheticClip(in: folder, frames: 60)
        let output = folder.appendingPathComponent("out.mkv").path
        let submit = try ChildProcess(Tools.vstCoord, ["submit", input, "--method", "sleep:100", "--lossless", "--chunk", "10",
                                                       "--overlap", "0", "--local-workers", "2", "--verbose", "--out", output],
                                      environment: ["VST_WORKER_LEASE_MS": "2500"])
        defer { submit.kill() }
        // Once a first segment is stored, kill one worker: it is in the middle of a chunk.
        Tools.waitForFiles(in: folder.appendingPathComponent(".out.mkv.vst/jobs/1/segments"), suffix: ".mkv", moreThan: 0)
        Thread.sleep(forTimeInterval: 0.3)
        let workers = submit.children
        #expect(workers.count == 2)
        if let victim = workers.first { kill(victim, SIGKILL) }
        let status = submit.wait(timeout: .seconds(90))
        #expect(status == 0, "\(submit.stderr)")
        #expect(submit.stderr.contains("back to the queue"), "\(submit.stderr)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
        #expect(try Tools.videoTimes(output).count == 60)
    }
}
