import Foundation
import Testing
@testable import Coordinator
import Engine

/// Faults a farm must survive, with real processes on 127.0.0.1: each ends with every frame
/// present exactly once and no stored frame rendered again.
@Suite(.serialized) struct FaultTests {
    /// A `serve` with two workers on loopback (plain TCP: CURVE has its own tests) and a short lease.
    final class Farm {
        let folder: URL
        let data: URL
        let workerEndpoint = "tcp://127.0.0.1:\(FreePort.pick())"
        let control = "tcp://127.0.0.1:\(FreePort.pick())"
        var serve: ChildProcess?
        var workers: [ChildProcess] = []

        init(folder: URL, workers count: Int = 2) throws {
            self.folder = folder
            data = folder.appendingPathComponent("data")
            try startServe()
            workers = try (0..<count).map { _ in try ChildProcess(Tools.vstWorker, ["--connect", workerEndpoint, "--insecure"]) }
        }

        func startServe() throws {
            serve = try ChildProcess(Tools.vstCoord, ["serve", "--bind", workerEndpoint, "--control", control, "--data", data.path,
                                                      "--insecure"], environment: ["VST_WORKER_LEASE_MS": "2500"])
        }

        func client(_ arguments: [String]) throws -> (status: Int32?, stdout: String, stderr: String) {
            try ChildProcess.run(Tools.vstCoord, arguments + ["--coordinator", control, "--insecure"], timeout: .seconds(20))
        }

        /// Polls `status JOB` until the job is done or failed (bounded); returns the job's line.
        func waitForEnd(of job: Int, timeout: Duration = .seconds(90)) throws -> String {
            let deadline = ContinuousClock.now + timeout
            var line = ""
            while ContinuousClock.now < deadline {
                let lines = try client(["status", "\(job)"]).stdout.split(separator: "\n")
                line = lines.count > 1 ? String(lines[1]) : ""
                if line.contains("\tdone\t") || line.contains("\tfailed\t") || line.contains("\tcancelled\t") { return line }
                Thread.sleep(forTimeInterval: 0.2)
            }
            return line
        }

        func count(_ folder: String, suffix: String) -> Int {
            let path = data.appendingPathComponent("jobs/1/\(folder)").path
            return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(suffix) }.count
        }

        func stop() {
            workers.forEach { $0.terminate() }
            for worker in workers { worker.wait(timeout: .seconds(10)) }
            serve?.terminate()
            serve?.wait(timeout: .seconds(10))
        }

        deinit {
            workers.forEach { $0.kill() }
            serve?.kill()
        }
    }

    @Test func coordinatorKilledMidJobResumesWithoutRenderingStoredFramesAgain() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 60)
        let output = folder.appendingPathComponent("out.mkv").path
        let farm = try Farm(folder: folder)
        let submitted = try farm.client(["submit", input, "--method", "sleep:80", "--lossless", "--chunk", "10", "--overlap", "2",
                                         "--detach", "--out", output])
        #expect(submitted.stdout == "1\n", "\(submitted.stderr)")

        // Mid-job: a segment sealed and the next being written, renders stored.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && !(farm.count("segments", suffix: ".mkv") >= 2 && farm.count("frames", suffix: ".rgb.lz4") > 0) {
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(farm.serve!.pid, SIGKILL)
        farm.serve!.wait(timeout: .seconds(10))
        let storePath = farm.data.appendingPathComponent("vst.sqlite").path
        let before: [JobJournal.Render: Int]
        do {
            let store = try JobStore(path: storePath, durable: false)
            before = store.arrivals(of: 1)
            #expect(!JobJournal(store: store, job: 1).sealedChunks.isEmpty)
            #expect(store.jobs().first?.state == .running)
        }
        #expect(!before.isEmpty)

        try farm.startServe()
        let end = try farm.waitForEnd(of: 1)
        #expect(end.contains("1\tdone\t70/70\t60/60\t"), "\(end) \(farm.serve!.stderr)")
        #expect(farm.serve!.stderr.contains("job 1 from an earlier run resumes"), "\(farm.serve!.stderr)")
        farm.stop()

        let store = try JobStore(path: storePath, durable: false)
        let after = store.arrivals(of: 1)
        // Every frame stored before the kill arrived no more after it.
        for (render, count) in before { #expect(after[render] == count, "\(render) rendered again after the restart") }
        // Every render of the plan arrived; beyond one each, only results in flight at the kill
        // (sent, never stored: at most the unacknowledged window of 8 per worker).
        let plan = ChunkPlan(frameCount: 60, chunkFrames: 10, overlapFrames: 2)
        let renders = plan.chunks.flatMap { chunk in chunk.renderRange.map { JobJournal.Render(chunk: chunk.index, frame: $0) } }
        #expect(renders.allSatisfy { (after[$0] ?? 0) >= 1 })
        let extra = after.values.reduce(0, +) - renders.count
        #expect(extra <= 2 * 8, "\(extra) renders arrived twice")
        // The film: every frame exactly once, bit-exact.
        #expect(try Tools.videoTimes(output).count == 60)
        #expect(try FrameComparison.differingFrames(output, input) == 0)
    }
}

extension FaultTests {
    /// Renders of the plan that arrived more than once, from the store of a stopped farm.
    static func extraArrivals(_ farm: Farm, frames: Int, chunk: Int, overlap: Int) throws -> (extra: Int, missing: Int) {
        let store = try JobStore(path: farm.data.appendingPathComponent("vst.sqlite").path, durable: false)
        let after = store.arrivals(of: 1)
        let plan = ChunkPlan(frameCount: frames, chunkFrames: chunk, overlapFrames: overlap)
        let renders = plan.chunks.flatMap { chunk in chunk.renderRange.map { JobJournal.Render(chunk: chunk.index, frame: $0) } }
        return (after.values.reduce(0, +) - renders.count, renders.filter { (after[$0] ?? 0) == 0 }.count)
    }

    /// Waits (bounded) until the job's frames folder holds at least `count` renders.
    static func waitForRenders(_ farm: Farm, _ count: Int) {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && farm.count("frames", suffix: ".rgb.lz4") < count { Thread.sleep(forTimeInterval: 0.02) }
    }

    @Test func workerKilledWithSigkillLosesOnlyItsFrameInFlight() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 40)
        let output = folder.appendingPathComponent("out.mkv").path
        let farm = try Farm(folder: folder)
        #expect(try farm.client(["submit", input, "--method", "sleep:150", "--lossless", "--chunk", "20", "--overlap", "2",
                                 "--detach", "--out", output]).stdout == "1\n")
        Self.waitForRenders(farm, 4)
        kill(farm.workers[0].pid, SIGKILL)
        let end = try farm.waitForEnd(of: 1)
        #expect(end.contains("1\tdone\t42/42\t40/40\t"), "\(end) \(farm.serve!.stderr)")
        #expect(farm.serve!.stderr.contains("silent past its lease"), "\(farm.serve!.stderr)")
        farm.stop()
        // What arrived was stored; the chunk resumed after it: nothing arrives twice.
        let counts = try Self.extraArrivals(farm, frames: 40, chunk: 20, overlap: 2)
        #expect(counts.extra == 0 && counts.missing == 0, "\(counts)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
    }

    @Test func workerStoppedWithSigtermFinishesItsFrameAndHandsTheChunkBack() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 40)
        let output = folder.appendingPathComponent("out.mkv").path
        let farm = try Farm(folder: folder)
        #expect(try farm.client(["submit", input, "--method", "sleep:150", "--lossless", "--chunk", "20", "--overlap", "2",
                                 "--detach", "--out", output]).stdout == "1\n")
        Self.waitForRenders(farm, 4)
        let victim = farm.workers[0]
        victim.terminate()
        #expect(victim.wait(timeout: .seconds(20)) == 0)
        #expect(victim.stderr.contains("stopping: finishing the current frame"), "\(victim.stderr)")
        #expect(victim.stderr.contains("stopped: every frame of job 1 chunk"), "\(victim.stderr)")
        let end = try farm.waitForEnd(of: 1)
        #expect(end.contains("1\tdone\t42/42\t40/40\t"), "\(end) \(farm.serve!.stderr)")
        #expect(farm.serve!.stderr.contains("left; job 1 chunk"), "\(farm.serve!.stderr)")
        farm.stop()
        // The finished frame was delivered and the chunk went on after it: nothing twice.
        let counts = try Self.extraArrivals(farm, frames: 40, chunk: 20, overlap: 2)
        #expect(counts.extra == 0 && counts.missing == 0, "\(counts)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
    }

    /// A frame that by the chunk's own frame times cannot end within --stop-grace is not waited
    /// for: the worker hands the chunk back at once (under Slurm the SIGKILL would come first).
    /// The victim renders alone until it has measured frames, so it surely holds a chunk; the
    /// abandoned frame never arrives, so the next worker renders it and nothing arrives twice.
    @Test func workerStoppedWithSigtermMidLongFrameHandsTheChunkBackAtOnce() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 8)
        let output = folder.appendingPathComponent("out.mkv").path
        let farm = try Farm(folder: folder, workers: 0)
        let victim = try ChildProcess(Tools.vstWorker, ["--connect", farm.workerEndpoint, "--insecure", "--stop-grace", "0.5"])
        farm.workers.append(victim)
        #expect(try farm.client(["submit", input, "--method", "sleep:700", "--lossless", "--chunk", "4", "--overlap", "2",
                                 "--detach", "--out", output]).stdout == "1\n")
        Self.waitForRenders(farm, 2)
        farm.workers.append(try ChildProcess(Tools.vstWorker, ["--connect", farm.workerEndpoint, "--insecure"]))
        victim.terminate()
        #expect(victim.wait(timeout: .seconds(20)) == 0)
        #expect(victim.stderr.contains("stopped: the current frame of job 1 chunk"), "\(victim.stderr)")
        #expect(victim.stderr.contains("BYE hands the chunk back at once without it"), "\(victim.stderr)")
        #expect(!victim.stderr.contains("stopping: finishing the current frame"), "\(victim.stderr)")
        let end = try farm.waitForEnd(of: 1)
        // 10 renders: the second chunk of 4 renders its 2 overlap frames as well.
        #expect(end.contains("1\tdone\t10/10\t8/8\t"), "\(end) \(farm.serve!.stderr)")
        #expect(farm.serve!.stderr.contains("left; job 1 chunk"), "\(farm.serve!.stderr)")
        farm.stop()
        let counts = try Self.extraArrivals(farm, frames: 8, chunk: 4, overlap: 2)
        #expect(counts.extra == 0 && counts.missing == 0, "\(counts)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
    }

    @Test func workerStoppedPastItsLeaseLosesItsChunkAndIsToldToDropIt() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 40)
        let output = folder.appendingPathComponent("out.mkv").path
        let farm = try Farm(folder: folder)
        #expect(try farm.client(["submit", input, "--method", "sleep:150", "--lossless", "--chunk", "20", "--overlap", "2",
                                 "--detach", "--out", output]).stdout == "1\n")
        Self.waitForRenders(farm, 4)
        let victim = farm.workers[0]
        kill(victim.pid, SIGSTOP)
        // Past the lease (2.5 s) its chunk moves; then it wakes up and must drop the chunk.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline && !farm.serve!.stderr.contains("silent past its lease") { Thread.sleep(forTimeInterval: 0.05) }
        kill(victim.pid, SIGCONT)
        let end = try farm.waitForEnd(of: 1)
        #expect(end.contains("1\tdone\t42/42\t40/40\t"), "\(end) \(farm.serve!.stderr)")
        #expect(farm.serve!.stderr.contains("silent past its lease of 2.5 seconds; job 1 chunk"), "\(farm.serve!.stderr)")
        farm.stop()
        // At most the frame the stopped worker was rendering arrives twice.
        let counts = try Self.extraArrivals(farm, frames: 40, chunk: 20, overlap: 2)
        #expect(counts.extra <= 1 && counts.missing == 0, "\(counts)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
    }

    @Test func aKilledSubmitRunAgainResumesItsJob() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = try Tools.syntheticClip(in: folder, frames: 40)
        let output = folder.appendingPathComponent("out.mkv").path
        let arguments = ["submit", input, "--method", "sleep:100", "--lossless", "--chunk", "10", "--overlap", "2",
                         "--local-workers", "2", "--out", output]
        let first = try ChildProcess(Tools.vstCoord, arguments)
        let segments = folder.appendingPathComponent(".out.mkv.vst/jobs/1/segments")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline
                && ((try? FileManager.default.contentsOfDirectory(atPath: segments.path))?.count ?? 0) < 2 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(first.pid, SIGKILL)
        first.wait(timeout: .seconds(10))
        let second = try ChildProcess.run(Tools.vstCoord, arguments, timeout: .seconds(90))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("resuming job 1 of an interrupted run"), "\(second.stderr)")
        #expect(try FrameComparison.differingFrames(output, input) == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".out.mkv.vst").path))
    }
}

extension FaultTests {
    /// `gatys` carries each frame into the next, so a chunk cut short must go on from its last
    /// stored frame: one worker renders part of a one-chunk job and is SIGKILLed; a second,
    /// started only then, gets the chunk at its first missing frame with the last stored one as
    /// warm start. Were the warm start not sent, the chunk would start over and the stored
    /// frames would arrive twice.
    @Test(.enabled(if: Fixtures.weights != nil, "needs models/vgg16.vstw (vst models fetch)"))
    func gatysChunkOfAKilledWorkerResumesWarmAtItsFirstMissingFrame() throws {
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = 12
        let input = try Tools.syntheticClip(in: folder, frames: frames, width: 48, height: 32)
        let style = folder.appendingPathComponent("style.png").path
        _ = try Tools.ffmpeg(["-v", "error", "-f", "lavfi", "-i", "testsrc=size=32x32", "-frames:v", "1", style])
        let output = folder.appendingPathComponent("g.mkv").path
        let farm = try Farm(folder: folder, workers: 1)
        let submitted = try farm.client(["submit", input, "--style", style, "--chunk", "\(frames)", "--overlap", "2", "--handover", "stitch",
                                         "--iters", "3", "--iters-next", "2", "--detach", "--out", output])
        #expect(submitted.stdout == "1\n", "\(submitted.stderr)")
        Self.waitForRenders(farm, 3)
        kill(farm.workers[0].pid, SIGKILL)
        let storedAtKill = farm.count("frames", suffix: ".rgb.lz4")
        #expect(storedAtKill >= 1 && storedAtKill < frames, "\(storedAtKill) of \(frames) frames stored at the kill")
        farm.workers.append(try ChildProcess(Tools.vstWorker, ["--connect", farm.workerEndpoint, "--insecure"]))

        let end = try farm.waitForEnd(of: 1)
        #expect(end.contains("1\tdone\t\(frames)/\(frames)\t\(frames)/\(frames)\t"), "\(end) \(farm.serve!.stderr)")
        let log = farm.serve!.stderr
        #expect(log.contains("silent past its lease"), "\(log)")
        // Resumed after the frames stored before the kill, never at the chunk's start.
        let resumed = log.split(separator: "\n").first { $0.contains("resumes at frame") }
        let at = resumed.flatMap { line in line.split(separator: " ").drop { $0 != "frame" }.dropFirst().first.flatMap { Int($0) } }
        #expect(at.map { $0 >= storedAtKill && $0 < frames } == true, "\(log)")
        farm.stop()
        // Each frame of the chunk arrived exactly once: none stored before the kill was rendered again.
        let counts = try Self.extraArrivals(farm, frames: frames, chunk: frames, overlap: 2)
        #expect(counts.extra == 0 && counts.missing == 0, "\(counts)")
        #expect(try Tools.videoTimes(output).count == frames)
    }
}
