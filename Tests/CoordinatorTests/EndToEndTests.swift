import Foundation
import Testing
import Media

/// The built `vst-coord` and `vst-worker`, run as a user runs them, on 127.0.0.1 only. The
/// suite is serialised: each test starts several processes and they share two cores in CI.
@Suite(.serialized) struct EndToEndTests {
    static let clip = Fixtures.sharedMedia("bigbuckbunny.mp4")
    static let style = Fixtures.sharedMedia("starry_night.jpg")

    @Test(.enabled(if: clip != nil && style != nil, "needs ../shared/media"))
    func copyWithTwoLocalWorkersKeepsFramesTimestampsAndSound() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Self.clip!, output = folder.appendingPathComponent("styled.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--style", Self.style!, "--method", "copy",
                                                           "--local-workers", "2", "--out", output], timeout: .seconds(240))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Tools.videoTimes(output) == Tools.videoTimes(input))
        #expect(try Tools.videoTimes(output).count == 132)
        #expect(try Tools.audioPackets(output) == Tools.audioPackets(input))
        #expect(try Tools.psnr(output, input) >= 40)
        // Stored frames were deleted once encoded, and the job folder went with them.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".styled.mkv.vst").path))
    }

    @Test(.enabled(if: clip != nil, "needs ../shared/media"))
    func copyLosslessIsBitExact() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = Self.clip!, output = folder.appendingPathComponent("exact.mkv").path
        // 640x360 keeps the debug-build test short; the frames are compared with the input
        // scaled by the same reader the coordinator uses.
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", input, "--method", "copy", "--lossless", "--height", "360",
                                                           "--chunk", "20", "--overlap", "3", "--local-workers", "2", "--out", output],
                                          timeout: .seconds(240))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FrameComparison.differingFrames(output, input, height: 360) == 0)
        #expect(try Tools.videoTimes(output) == Tools.videoTimes(input))
        #expect(try Tools.audioPackets(output) == Tools.audioPackets(input))
    }

    @Test func killedWorkersChunkIsRedoneByTheOther() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 40)
        let output = folder.appendingPathComponent("out.mkv").path
        let submit = try ChildProcess(Tools.vstCoord, ["submit", input, "--method", "sleep:100", "--lossless", "--chunk", "10",
                                                       "--overlap", "2", "--local-workers", "2", "--verbose", "--out", output],
                                      environment: ["VST_WORKER_LEASE_MS": "2500"])
        defer { submit.kill() }
        // Wait until results are being stored, then kill one worker in the middle of its chunk.
        Tools.waitForFiles(in: folder.appendingPathComponent(".out.mkv.vst/jobs/1/frames"), suffix: ".rgb.lz4", moreThan: 4)
        let workers = submit.children
        #expect(workers.count == 2)
        if let victim = workers.first { kill(victim, SIGKILL) }
        let status = submit.wait(timeout: .seconds(90))
        #expect(status == 0, "\(submit.stderr)")
        #expect(submit.stderr.contains("silent past its lease"), "\(submit.stderr)")
        #expect(submit.stderr.contains("back to the queue"))
        // The victim had delivered part of its chunk: the other worker goes on from there.
        #expect(submit.stderr.contains("resumes at frame"), "\(submit.stderr)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
        #expect(try Tools.videoTimes(output).count == 40)
    }

    @Test func interruptedSubmitCancelsAndLeavesNoWorkerBehind() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 20)
        let submit = try ChildProcess(Tools.vstCoord, ["submit", input, "--method", "sleep:300", "--local-workers", "2",
                                                       "--out", folder.appendingPathComponent("i.mkv").path])
        defer { submit.kill() }
        var workers: [Int32] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while workers.count < 2 && ContinuousClock.now < deadline {
            workers = submit.children
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(workers.count == 2)
        Thread.sleep(forTimeInterval: 0.5)
        kill(submit.pid, SIGINT)
        #expect(submit.wait(timeout: .seconds(20)) == 1)
        #expect(submit.stderr.split(separator: "\n").last == "error: job 1 was cancelled", "\(submit.stderr)")
        for pid in workers { #expect(kill(pid, 0) != 0, "worker \(pid) outlived its submit") }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".i.mkv.vst").path))
    }

    @Test func badInputFailsBeforeAnyWorkWithExitCode2() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("x.mkv").path
        let missing = try ChildProcess.run(Tools.vstCoord, ["submit", folder.appendingPathComponent("none.mkv").path,
                                                            "--method", "copy", "--out", output])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: ") && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        let notVideo = folder.appendingPathComponent("notes.mkv")
        try Data("not a film".utf8).write(to: notVideo)
        let corrupt = try ChildProcess.run(Tools.vstCoord, ["submit", notVideo.path, "--method", "copy", "--out", output])
        #expect(corrupt.status == 2 && corrupt.stderr.hasPrefix("error: "), "\(corrupt.stderr)")
        let clip = try Tools.syntheticClip(in: folder, frames: 4)
        let noStyle = try ChildProcess.run(Tools.vstCoord, ["submit", clip, "--style", "/nonexistent.jpg", "--out", output])
        #expect(noStyle.status == 2 && noStyle.stderr.contains("/nonexistent.jpg"), "\(noStyle.stderr)")
        let badMethod = try ChildProcess.run(Tools.vstCoord, ["submit", clip, "--method", "paint", "--out", output])
        #expect(badMethod.status == 2 && badMethod.stderr.hasPrefix("error: "), "\(badMethod.stderr)")
        let usage = try ChildProcess.run(Tools.vstCoord, ["submit", clip])
        #expect(usage.status == 2 && usage.stderr.hasPrefix("error: "), "\(usage.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// The default method end to end at a tiny size: two workers, an overlap stitched. Without
    /// the VGG weights (a checkout where `vst models fetch` has not run) the job must fail with
    /// one line that says how to get them.
    @Test func gatysIsTheDefaultAndStylesASmallClip() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Tools.syntheticClip(in: folder, frames: 6, width: 48, height: 32)
        let style = folder.appendingPathComponent("style.png").path
        _ = try Tools.ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=32x32", "-frames:v", "1", style])
        let output = folder.appendingPathComponent("g.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", clip, "--style", style, "--local-workers", "2", "--chunk", "3",
                                                           "--overlap", "2", "--iters", "3", "--iters-next", "2", "--out", output],
                                          timeout: .seconds(300))
        if Fixtures.weights != nil {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Tools.videoTimes(output).count == 6)
            #expect(try Tools.psnr(output, clip) < 30)   // styled, not copied
        } else {
            #expect(result.status == 1)
            #expect(result.stderr.split(separator: "\n").last?.contains("vst models fetch") == true, "\(result.stderr)")
        }
    }

    /// Seam tasks (on by default for gatys) end to end at a tiny size: each of the two
    /// boundaries (overlap 2, tail 2) becomes a seam task, run by one of the two workers once
    /// both chunks rendered it, and the film comes out whole; `--no-seam-refine` parses.
    /// (GatysSeamRendererTests measures what the refinement does.)
    /// Without the weights the test above checks the job's error line instead.
    @Test(.enabled(if: Fixtures.weights != nil, "needs models/vgg16.vstw (vst models fetch)"))
    func seamRefineRunsASeamTaskPerBoundary() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Tools.syntheticClip(in: folder, frames: 10, width: 48, height: 32)
        let style = folder.appendingPathComponent("style.png").path
        _ = try Tools.ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=32x32", "-frames:v", "1", style])
        let output = folder.appendingPathComponent("s.mkv").path
        let result = try ChildProcess.run(Tools.vstCoord, ["submit", clip, "--style", style, "--local-workers", "2", "--chunk", "4",
                                                           "--overlap", "2", "--seam-tail", "2", "--iters", "3",
                                                           "--iters-next", "2", "--lossless", "--verbose", "--out", output],
                                          timeout: .seconds(300))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 seam tasks"), "\(result.stderr)")
        #expect(result.stderr.contains("seam task 3: rendering frames 1...6") && result.stderr.contains("seam task 4: rendering frames 5...9"),
                "\(result.stderr)")
        #expect(try Tools.videoTimes(output).count == 10)
        let refused = try ChildProcess.run(Tools.vstCoord, ["submit", clip, "--method", "copy", "--seam-refine", "--out", output])
        #expect(refused.status == 2 && refused.stderr.contains("--seam-refine"), "\(refused.stderr)")
        let copied = folder.appendingPathComponent("c.mkv").path
        let off = try ChildProcess.run(Tools.vstCoord, ["submit", clip, "--method", "copy", "--no-seam-refine", "--local-workers", "1",
                                                        "--out", copied], timeout: .seconds(120))
        #expect(off.status == 0, "\(off.stderr)")
        #expect(try Tools.videoTimes(copied).count == 10)
    }
}
