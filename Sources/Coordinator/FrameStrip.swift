import Engine
import Protocol

/// The film's frames coloured by what has happened to them, as runs of equal state: what the
/// dashboard draws as a strip under a job's progress bar. Runs, not one entry per frame, so
/// that a two-hour film's strip stays a few hundred entries (a handful per chunk).
///
/// Each frame is judged by the chunk that owns it (own ranges partition the film):
/// - `stitched`: final (overlap stitched) and encoded into the output;
/// - `stored`: its owner's render arrived and is stored, not yet final;
/// - `rendering`: the next frame of a chunk a worker holds now;
/// - `failed`: not delivered, and its job failed or its chunk failed and waits for a retry;
/// - `queued`: not delivered, waiting for a worker.
public struct FrameStrip: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case queued, rendering, stored, stitched, failed
    }

    /// Frames `start..<start + count` (relative to the job's first frame) are in `state`.
    public struct Run: Sendable, Equatable, Codable {
        public var start: Int
        public var count: Int
        public var state: State
        public init(start: Int, count: Int, state: State) {
            self.start = start
            self.count = count
            self.state = state
        }
    }

    public var frameCount: Int
    public var runs: [Run]

    /// - Parameters:
    ///   - chunks: the plan's chunks (relative frames).
    ///   - statuses: each chunk's delivered frames, holder and failures (`JobStatus.chunks`).
    ///   - finalFrames: frames `0..<finalFrames` are encoded.
    ///   - jobState: a failed job shows what it did not deliver as failed.
    public init(chunks: [ChunkPlan.Chunk], statuses: [ChunkStatus], finalFrames: Int, jobState: JobStatus.State) {
        frameCount = chunks.last?.end ?? 0
        runs = []
        let byIndex = Dictionary(statuses.map { ($0.chunk, $0) }, uniquingKeysWith: { a, _ in a })
        for chunk in chunks {
            let own = chunk.ownStart..<chunk.end
            let status = byIndex[chunk.index]
            let stitchedEnd = min(max(finalFrames, own.lowerBound), own.upperBound)
            let delivered = chunk.renderStart + (status?.framesDelivered ?? 0)
            let storedEnd = min(max(delivered, stitchedEnd), own.upperBound)
            append(own.lowerBound, stitchedEnd, .stitched)
            append(stitchedEnd, storedEnd, .stored)
            var rest = storedEnd
            if rest < own.upperBound, status?.worker != nil {
                append(rest, rest + 1, .rendering)
                rest += 1
            }
            let waiting: State = jobState == .failed || (status?.worker == nil && (status?.failures ?? 0) > 0) ? .failed : .queued
            append(rest, own.upperBound, waiting)
        }
    }

    /// How many frames are in `state`.
    public func count(_ state: State) -> Int { runs.filter { $0.state == state }.reduce(0) { $0 + $1.count } }

    private mutating func append(_ start: Int, _ end: Int, _ state: State) {
        guard end > start else { return }
        if let last = runs.last, last.state == state, last.start + last.count == start {
            runs[runs.count - 1].count += end - start
        } else {
            runs.append(Run(start: start, count: end - start, state: state))
        }
    }
}
