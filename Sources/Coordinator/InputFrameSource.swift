import Media
import Protocol

/// The input's frames (a film, or an image sequence: `FrameReaders.open`) for the chunks being
/// assigned, decoded sequentially.
///
/// Chunks are assigned in order, so one reader moving forward serves almost every request; the
/// last `keep` frames stay cached because the next chunk's overlap starts before the current
/// chunk's end. A request further back (a chunk reassigned after its worker died) re-opens the
/// film and skips forward. Only the frames of the chunk being assigned are ever in memory.
final class InputFrameSource {
    let path: String
    let height: Int?
    /// Absolute index of relative frame 0 (the `--start` option).
    let start: Int
    /// The frame rate of an image sequence (`--fps`); nil for a film.
    let sequenceRate: Rational?
    let info: VideoInfo
    /// Presentation timestamps of every frame of the film, absolute index.
    let framePTS: [Int64]
    /// The number the input gives its frame 0 (a sequence's first file number, 0 for a film).
    let firstNumber: Int
    private var reader: any FrameReader
    private var cache: [Int: RGBImage] = [:]
    private let keep: Int
    /// The thread that decodes and encodes frames ahead for `payloads` (started by its first
    /// call), and the newest payloads it gave, kept as `cache` is for the next chunk's overlap.
    private var readAhead: InputReadAhead?
    private var payloadCache: [Int: [UInt8]] = [:]

    init(path: String, height: Int?, start: Int, sequenceRate: Rational?, keep: Int) throws(MediaError) {
        self.path = path
        self.height = height
        self.start = start
        self.sequenceRate = sequenceRate
        self.keep = max(1, keep)
        reader = try FrameReaders.open(path: path, height: height, startFrame: start, sequenceRate: sequenceRate)
        info = reader.info
        framePTS = reader.framePTS
        firstNumber = reader.firstNumber
    }

    /// The input of `request`, from its `--start`, at its `--height`, at its `--fps` when the
    /// input is an image sequence.
    convenience init(request: JobRequest, keep: Int) throws(MediaError) {
        var rate: Rational?
        if let fps = request.fps {
            guard let parsed = Rational(frameRate: fps) else { throw MediaError.invalidArgument("--fps \(fps) is not a frame rate") }
            rate = parsed
        }
        try self.init(path: request.input, height: request.height, start: request.start, sequenceRate: rate, keep: keep)
    }

    /// The number the input gives relative frame `index` (what a sequence output names it).
    func number(of index: Int) -> Int { firstNumber + start + index }

    /// A reader of the input's 16-bit frames when it is a sequence of 16-bit pictures (the
    /// output then keeps 16 bits), else nil.
    func openDeepReader() throws(MediaError) -> ImageSequenceReader? {
        guard let sequence = reader as? ImageSequenceReader, sequence.isDeep else { return nil }
        return try ImageSequenceReader(sequence: sequence.sequence, height: height, frameRate: info.frameRate)
    }

    /// The pts of relative frame `index`, in `info.timeBase`. Containers without timestamps get
    /// evenly spaced ones from the frame rate.
    func pts(of index: Int) -> Int64 {
        let absolute = start + index
        if absolute < framePTS.count { return framePTS[absolute] }
        let ticksPerFrame = info.frameRate.inverse.rescale(1, to: info.timeBase)
        return info.startPTS + Int64(absolute) * max(1, ticksPerFrame)
    }

    deinit { readAhead?.stop() }

    /// Relative frames `range` as wire payloads (`FramePayload`), in order, decoded and encoded
    /// ahead by an `InputReadAhead` that keeps up to `ahead` frames ready beyond the range, up
    /// to relative frame `limit` (the job's last). A request the read-ahead cannot serve
    /// (a chunk reassigned after its worker died lies behind it) starts a new one there.
    /// `keepAlive` runs while the loop waits for a frame.
    func payloads(_ range: Range<Int>, ahead: Int, limit: Int, keepAlive: () -> Void = {}) throws(MediaError) -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(range.count)
        for index in range {
            if let cached = payloadCache[index] {
                result.append(cached)
                continue
            }
            guard index < limit else { throw MediaError.invalidMedia(path: path, reason: "frame \(start + index) lies past the job's last frame") }
            if readAhead?.serves(index) != true {
                readAhead?.stop()
                let (path, height, start, rate) = (path, height, start, sequenceRate)
                readAhead = InputReadAhead(first: index, end: limit, capacity: ahead) { first throws(MediaError) in
                    try FrameReaders.open(path: path, height: height, startFrame: start + first, sequenceRate: rate)
                }
                payloadCache.removeAll()
            }
            let payload = try readAhead!.take(index, keepAlive: keepAlive)
            result.append(payload)
            payloadCache[index] = payload
        }
        // Keep only the newest payloads: the next chunk's overlap.
        if let last = range.last { payloadCache = payloadCache.filter { $0.key > last - keep } }
        return result
    }

    /// Relative frames `range`, in order.
    /// `keepAlive` runs after every decoded frame (the coordinator heartbeats from it).
    func frames(_ range: Range<Int>, keepAlive: () -> Void = {}) throws(MediaError) -> [RGBImage] {
        var result: [RGBImage] = []
        result.reserveCapacity(range.count)
        for index in range {
            if let cached = cache[index] {
                result.append(cached)
                continue
            }
            let absolute = start + index
            if reader.nextIndex > absolute {
                reader = try FrameReaders.open(path: path, height: height, startFrame: absolute, sequenceRate: sequenceRate)
                cache.removeAll()
            } else if reader.nextIndex < absolute {
                try reader.skip(frames: absolute - reader.nextIndex)
            }
            guard let frame = try reader.nextFrame() else {
                throw MediaError.invalidMedia(path: path, reason: "frame \(absolute) could not be decoded")
            }
            result.append(frame.image)
            cache[index] = frame.image
            keepAlive()
        }
        // Keep only the newest frames: the next chunk's overlap.
        if let last = range.last { cache = cache.filter { $0.key > last - keep } }
        return result
    }
}
