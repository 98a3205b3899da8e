import Coordinator
import CoreMetrics

import Prometheus

/// The coordinator's figures for Prometheus at `/metrics`: swift-metrics counters and gauges
/// made by a `PrometheusMetricsFactory` over this object's own registry (never the global
/// one, so two coordinators in one test process do not share figures).
///
/// The loop counts in plain integers (`FarmCounters`); `update(from:)` runs with every
/// snapshot and adds to each counter what its integer grew by since the last one, and sets the
/// gauges. So the exposition is at most one snapshot (a quarter of a second) behind the loop.
public final class FarmMetrics: @unchecked Sendable {
    public let registry: PrometheusCollectorRegistry
    private let framesStored: CoreMetrics.Counter
    private let framesStitched: CoreMetrics.Counter
    private let chunkFailures: CoreMetrics.Counter
    private let leaseExpiries: CoreMetrics.Counter
    private let bytesReceived: CoreMetrics.Counter
    private let bytesSent: CoreMetrics.Counter
    private let malformedMessages: CoreMetrics.Counter
    private let queueDepth: CoreMetrics.Gauge
    private let framesPerSecond: CoreMetrics.Gauge
    private let workersIdle: CoreMetrics.Gauge
    private let workersBusy: CoreMetrics.Gauge
    private let jobsByState: [String: CoreMetrics.Gauge]
    /// Only `update(from:)` touches it, and only the loop thread calls that.
    private var last = FarmCounters()
    private var lastMalformed = 0

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = PrometheusMetricsFactory(registry: registry)
        framesStored = CoreMetrics.Counter(label: "vst_frames_stored_total", factory: factory)
        framesStitched = CoreMetrics.Counter(label: "vst_frames_stitched_total", factory: factory)
        chunkFailures = CoreMetrics.Counter(label: "vst_chunk_failures_total", factory: factory)
        leaseExpiries = CoreMetrics.Counter(label: "vst_lease_expiries_total", factory: factory)
        bytesReceived = CoreMetrics.Counter(label: "vst_bytes_received_total", factory: factory)
        bytesSent = CoreMetrics.Counter(label: "vst_bytes_sent_total", factory: factory)
        malformedMessages = CoreMetrics.Counter(label: "vst_malformed_messages_total", factory: factory)
        queueDepth = CoreMetrics.Gauge(label: "vst_queue_depth_chunks", factory: factory)
        framesPerSecond = CoreMetrics.Gauge(label: "vst_frames_per_second", factory: factory)
        workersIdle = CoreMetrics.Gauge(label: "vst_workers", dimensions: [("state", "idle")], factory: factory)
        workersBusy = CoreMetrics.Gauge(label: "vst_workers", dimensions: [("state", "busy")], factory: factory)
        jobsByState = Dictionary(uniqueKeysWithValues: ["queued", "running", "paused", "done", "failed", "cancelled"].map {
            ($0, CoreMetrics.Gauge(label: "vst_jobs", dimensions: [("state", $0)], factory: factory))
        })
    }

    /// Brings every figure up to `snapshot`.
    public func update(from snapshot: FarmSnapshot) {
        let now = snapshot.counters
        func forward(_ counter: CoreMetrics.Counter, _ value: KeyPath<FarmCounters, Int>) {
            let grown = now[keyPath: value] - last[keyPath: value]
            if grown > 0 { counter.increment(by: grown) }
        }
        forward(framesStored, \.framesStored)
        forward(framesStitched, \.framesStitched)
        forward(chunkFailures, \.chunkFailures)
        forward(leaseExpiries, \.leaseExpiries)
        forward(bytesReceived, \.bytesReceived)
        forward(bytesSent, \.bytesSent)
        if snapshot.malformedMessages > lastMalformed { malformedMessages.increment(by: snapshot.malformedMessages - lastMalformed) }
        last = now
        lastMalformed = snapshot.malformedMessages
        queueDepth.record(snapshot.queuedChunks)
        framesPerSecond.record(snapshot.workers.reduce(0) { $0 + $1.framesPerSecond })
        workersBusy.record(snapshot.workers.filter { $0.state == "busy" }.count)
        workersIdle.record(snapshot.workers.filter { $0.state != "busy" }.count)
        for (state, gauge) in jobsByState { gauge.record(snapshot.jobs.filter { $0.status.state.rawValue == state }.count) }
    }

    /// The Prometheus text exposition (format 0.0.4).
    public func exposition() -> [UInt8] { registry.emitToBuffer() }
}
