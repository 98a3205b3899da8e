/// The bytes one job keeps on the coordinator's disk: its stored renders (`FrameStore`) and its
/// sealed segments waiting for the join. Counted as the runner writes and deletes each file,
/// not by walking the job folder, so reading it costs nothing on every turn of the loop.
///
/// A value type with no I/O: the runner tells it each file's size as it writes it (a render's
/// payload, a segment's size once sealed or received) and each item it deletes.
struct DiskLedger: Sendable, Equatable {
    /// One file of a job: a render of `frame` by chunk (or seam task) `chunk`, or a chunk's segment.
    enum Item: Hashable, Sendable {
        case render(chunk: Int, frame: Int)
        case segment(chunk: Int)
    }

    private var sizes: [Item: Int] = [:]
    /// The segments' sizes by chunk again, so that `segmentBytes(where:)`, asked for every
    /// queued chunk on every turn of the loop, walks the few segments and not every render.
    private var segmentSizes: [Int: Int] = [:]
    /// Bytes of stored renders now.
    private(set) var renderBytes = 0
    /// Bytes of sealed segments now.
    private(set) var segmentBytes = 0
    /// The most `bytes` has been since the job started in this process.
    private(set) var peak = 0

    /// Everything held now.
    var bytes: Int { renderBytes + segmentBytes }

    /// `item` is on disk with `count` bytes (a rewrite of the same item replaces its size).
    mutating func record(_ item: Item, bytes count: Int) {
        let change = count - (sizes[item] ?? 0)
        sizes[item] = count
        switch item {
        case .render: renderBytes += change
        case .segment(let chunk):
            segmentBytes += change
            segmentSizes[chunk] = count
        }
        peak = max(peak, bytes)
    }

    /// `item` was deleted; an item never recorded changes nothing.
    mutating func release(_ item: Item) {
        guard let count = sizes.removeValue(forKey: item) else { return }
        switch item {
        case .render: renderBytes -= count
        case .segment(let chunk):
            segmentBytes -= count
            segmentSizes[chunk] = nil
        }
    }

    /// Every segment was deleted (after the join).
    mutating func releaseSegments() {
        for chunk in segmentSizes.keys { release(.segment(chunk: chunk)) }
    }

    /// Bytes of the segments of chunks for which `waiting` is true (those the join cannot take
    /// in order yet).
    func segmentBytes(where waiting: (Int) -> Bool) -> Int {
        segmentSizes.reduce(0) { sum, entry in waiting(entry.key) ? sum + entry.value : sum }
    }
}
