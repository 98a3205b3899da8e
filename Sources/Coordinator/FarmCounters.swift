/// Running totals of what a coordinator did since it started, counted on its loop thread as
/// plain integers (the loop is single-threaded, so no atomics). The dashboard samples them with
/// each snapshot and forwards the increase to its Prometheus counters, which keeps the loop free
/// of any metrics back end.
public struct FarmCounters: Sendable, Equatable, Codable {
    /// RESULTs written to the frame store (a duplicate that was only counted is not one).
    public var framesStored = 0
    /// Final frames (overlaps stitched) encoded into the output.
    public var framesStitched = 0
    /// CHUNK_FAILED reports accepted from the chunk's holder.
    public var chunkFailures = 0
    /// Workers declared dead because they stayed silent past their lease.
    public var leaseExpiries = 0
    /// Bytes of every ZeroMQ frame received on the worker and client endpoints.
    public var bytesReceived = 0
    /// Bytes of every ZeroMQ frame sent on the worker and client endpoints.
    public var bytesSent = 0

    public init() {}

    /// Counts one multipart message received (every frame's bytes).
    mutating func received(_ frames: [[UInt8]]) { bytesReceived += Self.byteCount(frames) }

    /// Counts one multipart message sent.
    mutating func sent(_ frames: [[UInt8]]) { bytesSent += Self.byteCount(frames) }

    static func byteCount(_ frames: [[UInt8]]) -> Int { frames.reduce(0) { $0 + $1.count } }
}
