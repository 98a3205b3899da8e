import Engine
import Media
import MediaBridge

/// The video half of `vst train`'s data: pairs of consecutive frames of real films, with the DIS
/// flow and reliability mask between them (`VideoPairs.pair`), for the temporal losses.
public enum TrainingVideoPairs {
    /// `pairsPerVideo` pairs of consecutive frames from each video, evenly spread, decoded at
    /// 1.4x the training `size` in height (room for random windows). The windows are drawn from
    /// a stream seeded by `seed`, apart from the one the training steps use. `log` gets one line
    /// per video.
    public static func load(videos: [String], pairsPerVideo: Int, size: Int, seed: UInt64,
                            log: (String) -> Void) throws(ToolkitError) -> [TrainingPair] {
        var pairs: [TrainingPair] = []
        var rng = TrainingRandom(seed: seed &+ 0x71DE0)
        for path in videos {
            do {
                let reader = try VideoReader(path: path, height: Int((1.4 * Double(size)).rounded(.up)) / 2 * 2)
                let count = reader.info.frameCount
                guard count >= 2 else { throw ToolkitError.input("\(path) has fewer than two frames") }
                let wanted = Set((0..<min(pairsPerVideo, count - 1)).map { $0 * (count - 1) / min(pairsPerVideo, count - 1) })
                var previous: PlanarImage?
                var index = 0
                while let frame = try reader.nextFrame() {
                    let image = frame.image.planar
                    if let previous, wanted.contains(index - 1) {
                        pairs.append(try VideoPairs.pair(previous: previous, current: image, size: size, using: &rng))
                    }
                    previous = image
                    index += 1
                }
                log("\(path): \(pairs.count) pairs so far")
            } catch let error as ToolkitError {
                throw error
            } catch {
                throw .input("\(path): \(error)")
            }
        }
        return pairs
    }
}
