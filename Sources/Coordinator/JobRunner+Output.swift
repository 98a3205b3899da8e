import Foundation
import Media

/// Where the assembly puts each chunk's final frames: the output is a film (a segment per
/// chunk, joined at the end) or an image sequence (the pictures themselves, nothing to join).
extension JobRunner {
    /// The sink of chunk `chunk`'s own frames, opened at its first frame.
    func segmentSink(for chunk: Int) throws(MediaError) -> any FrameSink {
        if let segment, segment.chunk == chunk { return segment.sink }
        let sink: any FrameSink
        if let outputSequence {
            let source = self.source, start = request.start
            sink = try SequenceFrameSink(pattern: outputSequence, number: { source.number(of: $0) }, inputIndex: { start + $0 },
                                         deepInput: source.openDeepReader(), durable: durable)
        } else {
            let writer = try VideoWriter(path: segmentPath(chunk), width: source.info.width, height: source.info.height,
                                         frameRate: source.info.frameRate, timeBase: source.info.timeBase,
                                         options: EncoderOptions(crf: request.crf, preset: request.preset, lossless: request.lossless,
                                                                 edges: segmentEdges(chunk)),
                                         colour: source.info.resolvedColour)
            sink = FilmSegmentSink(path: segmentPath(chunk), writer: writer, durable: durable)
        }
        segment = (chunk, sink)
        return sink
    }

    /// The frames of chunk `chunk`'s segment that meet the segments before and after it.
    func segmentEdges(_ chunk: Int) -> SegmentEdges {
        let own = plan.chunks[chunk]
        return SegmentEdges(frames: own.end - own.ownStart, isFirst: chunk == 0, isLast: chunk == plan.chunks.count - 1,
                            gain: request.joinGain ?? SegmentEdges.defaultGain)
    }
}
