import CFFmpeg

/// Copies every audio and subtitle stream of a source file into a `Muxer`, packet for packet:
/// the sound is never decoded or re-encoded, so it stays bit-identical to the input.
///
/// Call order: `init` opens the source and adds one output stream per copied stream (call it
/// after the video stream was added and before `Muxer.writeHeader()`); after the header,
/// `copy(through:timeBase:)` each time a video packet is about to be written, so that sound
/// and picture reach the muxer side by side in time (the muxer's interleaving queue then stays
/// short); `finish()` copies whatever remains, before `Muxer.writeTrailer()`.
///
/// Ownership: reads the source with its own `Demuxer`; each packet is handed to the muxer,
/// which takes its data.
///
/// Drained: `finish()` returned: the source was read to its end (or past the window's end)
/// and every packet inside the window was written.
///
/// Timestamps: a packet is copied when its pts lies in `window` (all packets without a
/// window; a subtitle that starts before the window is left out even if it lasts into it);
/// `offset` (the same offset the video gets) is subtracted, and the result is rescaled from
/// the source stream's time base to the output stream's.
final class AudioPassthrough {
    /// Copied streams: source stream index -> output stream index.
    private var mapping: [Int: Int] = [:]
    /// Streams the output container cannot hold, as "stream 2 (mov_text subtitle)".
    let skipped: [String]
    private let demuxer: Demuxer
    private let muxer: Muxer
    private let window: TimeWindow?
    private let offset: Int64
    private let offsetTimeBase: Rational
    private let packet: Packet
    /// A packet read but not yet due (it lies after the time copied through so far).
    private var held = false
    private var drained = false

    init(source path: String, into muxer: Muxer, window: TimeWindow?, offset: Int64, offsetTimeBase: Rational) throws(MediaError) {
        demuxer = try Demuxer(path: path)
        self.muxer = muxer
        self.window = window
        self.offset = offset
        self.offsetTimeBase = offsetTimeBase
        packet = try Packet()
        var skipped: [String] = []
        for index in 0..<demuxer.streamCount {
            let source = demuxer.stream(index)
            let parameters = source.pointee.codecpar!
            let type = parameters.pointee.codec_type
            guard type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE else { continue }
            let codec = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            guard muxer.canHold(parameters.pointee.codec_id) else {
                skipped.append("stream \(index) (\(codec) \(type == AVMEDIA_TYPE_AUDIO ? "audio" : "subtitle"))")
                continue
            }
            let output = try muxer.addStream()
            try check(avcodec_parameters_copy(output.pointee.codecpar, parameters), "avcodec_parameters_copy")
            // The source container's tag (e.g. MP4's "mp4a") may mean nothing in the output
            // container; zero lets the muxer choose its own.
            output.pointee.codecpar.pointee.codec_tag = 0
            output.pointee.time_base = source.pointee.time_base
            output.pointee.disposition = source.pointee.disposition
            av_dict_copy(&output.pointee.metadata, source.pointee.metadata, 0) // language, title
            mapping[index] = Int(output.pointee.index)
        }
        self.skipped = skipped
        // A slice late in a long film: start reading near it rather than from the beginning.
        // If the container cannot seek, reading from the start and filtering is still right.
        if let window, window.start > 0 {
            do throws(MediaError) { try demuxer.seekAll(to: window.start, timeBase: window.timeBase) } catch {}
        }
    }

    /// Copies every due packet whose decoding time, once shifted by the offset like the video,
    /// is at or before `time` (an output time in `timeBase`).
    func copy(through time: Int64, timeBase: Rational) throws(MediaError) {
        while !drained {
            if !held {
                guard try demuxer.read(into: packet) else {
                    drained = true
                    return
                }
                held = true
            }
            let index = packet.streamIndex
            if mapping[index] == nil {
                held = false
                continue
            }
            // A packet without any timestamp goes out at once; others wait for their time.
            if let ts = decodingTime(packet) {
                let sourceBase = Rational(demuxer.stream(index).pointee.time_base)
                let shifted = ts - offsetTimeBase.rescale(offset, to: sourceBase)
                if av_compare_ts(shifted, sourceBase.av, time, timeBase.av) > 0 { return }
            }
            try writeHeld()
        }
    }

    /// Copies everything left in the window.
    func finish() throws(MediaError) {
        while !drained {
            if !held {
                guard try demuxer.read(into: packet) else {
                    drained = true
                    return
                }
            }
            held = true
            if mapping[packet.streamIndex] != nil, let end = window?.end, let ts = decodingTime(packet),
               pastWindowForGood(ts, stream: packet.streamIndex, end: end) {
                drained = true
                return
            }
            try writeHeld()
        }
    }

    private func decodingTime(_ packet: Packet) -> Int64? {
        let p = packet.pointer.pointee
        if p.dts != noPTS { return p.dts }
        return p.pts != noPTS ? p.pts : nil
    }

    /// Interleaving in the source is loose; stop reading only well past the window's end.
    private func pastWindowForGood(_ ts: Int64, stream: Int, end: Int64) -> Bool {
        let base = Rational(demuxer.stream(stream).pointee.time_base)
        let slack = Rational(1, 1).rescale(30, to: window!.timeBase) // 30 s
        return av_compare_ts(ts, base.av, end + slack, window!.timeBase.av) >= 0
    }

    /// Writes the held packet if it is a copied stream's and inside the window.
    private func writeHeld() throws(MediaError) {
        held = false
        let index = packet.streamIndex
        guard let outputIndex = mapping[index] else { return }
        let sourceBase = Rational(demuxer.stream(index).pointee.time_base)
        let p = packet.pointer
        if let window, p.pointee.pts != noPTS || p.pointee.dts != noPTS {
            let pts = p.pointee.pts != noPTS ? p.pointee.pts : p.pointee.dts
            if av_compare_ts(pts, sourceBase.av, window.start, window.timeBase.av) < 0 { return }
            if let end = window.end, av_compare_ts(pts, sourceBase.av, end, window.timeBase.av) >= 0 { return }
        }
        let shift = offsetTimeBase.rescale(offset, to: sourceBase)
        if p.pointee.pts != noPTS { p.pointee.pts -= shift }
        if p.pointee.dts != noPTS { p.pointee.dts -= shift }
        av_packet_rescale_ts(p, sourceBase.av, muxer.stream(outputIndex).pointee.time_base)
        p.pointee.stream_index = Int32(outputIndex)
        p.pointee.pos = -1
        try muxer.write(packet)
    }
}
