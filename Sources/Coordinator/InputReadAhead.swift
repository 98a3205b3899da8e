import Foundation
import Media
import Protocol

/// Decodes an input's frames ahead of the coordinator's loop, on a thread of its own, and turns
/// each into its wire payload (`FramePayload`: YUV to RGB conversion and LZ4 included), so that
/// the loop only sends them.
///
/// Why: the loop thread also receives, stitches and encodes the output. Decoding a 1080p frame,
/// converting it with accurate rounding and compressing it cost about 30 ms of that thread per
/// frame, while the workers of a fast method wait for their next chunk (docs/benchmarks.md, "Long
/// films on bounded disk"). Here that work overlaps the loop's.
///
/// Call order: `init` starts the thread at relative frame `first`; `take(_:keepAlive:)` returns
/// frames in increasing order, waiting for the thread when it is behind; `stop()` ends the
/// thread (also when the owner goes away: `InputFrameSource` calls it from its deinit). The
/// thread decodes at most `capacity` frames ahead of the last one taken, then waits, so memory
/// stays bounded by `capacity` payloads. It stops by itself after frame `end - 1`.
///
/// Threads: every stored property below `lock` is read and written only while holding it; the
/// reader is created and used only on the read-ahead thread.
final class InputReadAhead: @unchecked Sendable {
    /// Relative index of the oldest frame still queued (or the next one to be decoded).
    private var head: Int
    let end: Int
    let capacity: Int
    private let lock = NSCondition()
    private var queue: [[UInt8]] = []
    private var failure: MediaError?
    private var finished = false
    private var stopped = false

    /// Starts decoding relative frames `first..<end` with `open(first)`, which opens a reader
    /// positioned at that frame (called on the read-ahead thread).
    init(first: Int, end: Int, capacity: Int, open: @escaping @Sendable (Int) throws(MediaError) -> any FrameReader) {
        head = first
        self.end = end
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in run(first: first, open: open) }
        thread.name = "vst-read-ahead"
        thread.start()
    }

    /// True when `take(index)` can serve `index` from this read-ahead (at or after its head, and
    /// near enough that decoding forward to it is cheaper than a seek); otherwise the owner
    /// starts a new one at `index`.
    func serves(_ index: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return index >= head && index < end && index - head <= capacity * 2
    }

    /// The payload of relative frame `index`, dropping the frames queued before it; waits for
    /// the thread, running `keepAlive` every 100 ms meanwhile (the loop heartbeats from it).
    /// The caller checks `serves(index)` first.
    func take(_ index: Int, keepAlive: () -> Void) throws(MediaError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        precondition(index >= head && index < end, "frame \(index) is not ahead of the read-ahead at \(head)..<\(end)")
        while true {
            let dropped = min(index - head, queue.count)
            if dropped > 0 {
                queue.removeFirst(dropped)
                head += dropped
                lock.broadcast()
            }
            if head == index, !queue.isEmpty {
                head += 1
                lock.broadcast()
                return queue.removeFirst()
            }
            if let failure { throw failure }
            if finished { throw MediaError.invalidArgument("frame \(index) lies past the input's last frame") }
            if !lock.wait(until: Date(timeIntervalSinceNow: 0.1)) {
                lock.unlock()
                keepAlive()
                lock.lock()
            }
        }
    }

    /// Ends the thread after the frame it is decoding; queued payloads are dropped.
    func stop() {
        lock.lock()
        stopped = true
        queue.removeAll()
        lock.broadcast()
        lock.unlock()
    }

    private func run(first: Int, open: (Int) throws(MediaError) -> any FrameReader) {
        do throws(MediaError) {
            let reader = try open(first)
            for _ in first..<end {
                lock.lock()
                while !stopped && queue.count >= capacity { lock.wait() }
                let stop = stopped
                lock.unlock()
                if stop { return }
                guard let frame = try reader.nextFrame() else { break }
                let payload = FramePayload.encode(width: frame.image.width, height: frame.image.height, pixels: frame.image.pixels)
                lock.lock()
                if !stopped { queue.append(payload) }
                lock.broadcast()
                lock.unlock()
            }
            lock.lock()
            finished = true
        } catch {
            lock.lock()
            failure = error
        }
        lock.broadcast()
        lock.unlock()
    }
}
