import Engine
import Foundation
import Protocol

/// The farm's scale bench (`vst-coord bench-scale`): an embedded coordinator with CURVE on
/// loopback and N local `vst-worker` processes rendering with `sleep:MS` (a frame costs MS of
/// wall time and no compute), so what limits throughput is the coordinator: decoding and
/// compressing input frames, the protocol, storing results durably, encoding the output.
///
/// Each run renders `framesPerWorker * N` frames of film, so every worker gets about the same
/// number of chunks at any N. Workers render more than that: each chunk after the first also
/// renders its overlap. Efficiency is the rendered frames' total sleep over N workers' wall
/// time (from submitting the job to the joined output), so it measures the farm's overhead,
/// not the overlap's cost; the coordinator's CPU (user + system, all its threads, from
/// getrusage) is per frame of film. With overlap 0 the workers encode their own segments
/// (`SegmentSpec`), so the coordinator moves compressed clips and segments only.
public enum ScaleBench {
    public struct Row: Sendable {
        public let workers: Int
        public let frames: Int
        /// Frames the workers rendered: `frames` plus every chunk's overlap.
        public let rendered: Int
        public let seconds: Double
        public let framesPerSecond: Double
        public let efficiency: Double
        public let coordinatorMillisecondsPerFrame: Double

        /// One Markdown table row.
        public var markdown: String {
            String(format: "| %d | %d | %d | %.1f | %.1f | %.0f%% | %.2f |", workers, frames, rendered, seconds, framesPerSecond,
                   efficiency * 100, coordinatorMillisecondsPerFrame)
        }

        public static let markdownHeader = "| workers | frames | rendered | seconds | frames/s | efficiency | coordinator CPU ms/frame |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    }

    public static func run(input: String, workerCounts: [Int], framesPerWorker: Int, frameMilliseconds: Int, chunk: Int,
                           overlap: Int, workerExecutable: String? = nil, report: (Row) -> Void = { _ in }) throws(CoordinatorError) -> [Row] {
        var rows: [Row] = []
        for count in workerCounts {
            let row = try runOnce(input: input, workers: count, frames: framesPerWorker * count, frameMilliseconds: frameMilliseconds,
                                  chunk: chunk, overlap: overlap, workerExecutable: workerExecutable ?? LocalWorkers.defaultExecutable())
            report(row)
            rows.append(row)
        }
        return rows
    }

    static func runOnce(input: String, workers count: Int, frames: Int, frameMilliseconds: Int, chunk: Int, overlap: Int,
                        workerExecutable: String) throws(CoordinatorError) -> Row {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vst-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try EphemeralKeys(folder: folder.appendingPathComponent("keys"))
        let server = try CoordinatorServer(bind: "tcp://127.0.0.1:*", control: nil, settings: .init(
            lease: Liveness.workerLease, dataDirectory: folder.appendingPathComponent("data"), security: keys.serverSecurity))
        defer { server.shutdown() }
        let workers = try LocalWorkers(count: count, endpoint: server.workerEndpoint, executable: workerExecutable,
                                       threads: 1, keyArguments: keys.workerArguments)
        defer { workers.stop() }
        let joinBy = ContinuousClock.now + .seconds(60)
        while server.workerCount < count && ContinuousClock.now < joinBy { server.step(timeout: .milliseconds(20)) }
        guard server.workerCount == count else { throw .network("only \(server.workerCount) of \(count) workers joined") }

        var options = SubmitOptions(input: input, output: folder.appendingPathComponent("out.mkv").path)
        options.method = "sleep:\(frameMilliseconds)"
        options.frames = frames
        options.chunk = chunk
        options.overlap = overlap
        let cpuBefore = cpuSeconds()
        let started = ContinuousClock.now
        let job = try server.addJob(try options.makeRequest())
        while !server.isFinished(job) { server.step() }
        let elapsed = ContinuousClock.now - started
        let cpu = cpuSeconds() - cpuBefore
        guard let status = server.status(of: job), status.state == .done else {
            throw .jobFailed(job: job, reason: server.status(of: job)?.message ?? "no status")
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let film = status.framesTotal
        let rendered = ChunkPlan(frameCount: film, chunkFrames: chunk, overlapFrames: options.overlap ?? 0).chunks.map(\.renderRange.count).reduce(0, +)
        let ideal = Double(rendered) * Double(frameMilliseconds) / 1000 / Double(count)
        return Row(workers: count, frames: film, rendered: rendered, seconds: seconds, framesPerSecond: Double(film) / seconds,
                   efficiency: ideal / seconds, coordinatorMillisecondsPerFrame: cpu * 1000 / Double(film))
    }

    /// User + system CPU seconds of this process, every thread.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
