import Foundation
import Protocol

/// Everything the dashboard shows about a running coordinator at one instant: built on the
/// loop thread by `CoordinatorServer.snapshot()` and handed whole to other threads, which read
/// it without ever touching the loop's state (it is a value: jobs, chunks, workers, counters).
public struct FarmSnapshot: Sendable {
    /// One job with what its page needs.
    public struct Job: Sendable {
        /// State, progress, ETA, priority and one line per chunk.
        public var status: JobStatus
        public var request: JobRequest
        public var width: Int
        public var height: Int
        /// The plan's chunks, relative frames (`request.start` is frame 0).
        public var chunks: [ChunkSpan]
        public var strip: FrameStrip
        /// The newest render stored (absolute frame index, its chunk, the `FramePayload` bytes).
        public var latestStored: StoredRender?
        /// For a job whose workers encode: the newest segment stored (its last frame, absolute).
        public var latestSegment: StoredSegment?
    }

    public struct StoredSegment: Sendable {
        public var frame: Int
        public var chunk: Int
        public var path: String
    }

    /// Chunk `index` renders `renderStart..<end` and owns `ownStart..<end` (relative frames).
    public struct ChunkSpan: Sendable, Equatable, Codable {
        public var index: Int
        public var renderStart: Int
        public var ownStart: Int
        public var end: Int
    }

    public struct StoredRender: Sendable {
        public var frame: Int
        public var chunk: Int
        public var payload: [UInt8]
    }

    /// One connected worker.
    public struct Worker: Sendable, Equatable, Codable {
        /// The ROUTER identity in hex (unique per connection).
        public var identity: String
        /// The name it gave in READY (host-pid).
        public var name: String
        /// Where it connected from and the note of its key in `--authorized`, when the link is
        /// CURVE (the handshake tells both); nil on plain links.
        public var address: String?
        public var key: String?
        /// `busy` while it holds a chunk, else `idle`.
        public var state: String
        /// The chunk it renders now: job, chunk, frames delivered of the chunk's render range.
        public var job: UInt32?
        public var chunk: Int?
        public var framesDelivered: Int?
        public var framesTotal: Int?
        /// Frames per second it delivered over the last few seconds.
        public var framesPerSecond: Double
        /// Seconds since its last message (heartbeat or other).
        public var secondsSinceHeard: Double
        /// Chunks it failed, over every job, this session.
        public var failures: Int
    }

    public var taken: Date
    public var jobs: [Job]
    public var workers: [Worker]
    /// Chunks waiting for a worker, every job.
    public var queuedChunks: Int
    public var counters: FarmCounters
    public var malformedMessages: Int
    /// The job store, for readers on other threads (events, worker history).
    public var storePath: String

    public func job(_ id: UInt32) -> Job? { jobs.first { $0.status.job == id } }
}
