import Foundation
import Media

/// Frame-by-frame comparison of two films through Media's reader (the same decode path the
/// coordinator uses), with memcmp so that a debug build compares 720p frames quickly.
enum FrameComparison {
    /// The number of frames of `a` that differ from the matching frame of `b` in any byte;
    /// also fails (returns -1) when the frame counts differ. `b` is read scaled to `height`.
    static func differingFrames(_ a: String, _ b: String, height: Int? = nil) throws -> Int {
        let left = try VideoReader(path: a), right = try VideoReader(path: b, height: height)
        guard left.info.frameCount == right.info.frameCount else { return -1 }
        var differing = 0
        while let x = try left.nextFrame() {
            guard let y = try right.nextFrame() else { return -1 }
            let same = x.image.width == y.image.width && x.image.height == y.image.height && x.image.pixels.withUnsafeBytes { p in
                y.image.pixels.withUnsafeBytes { q in memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 }
            }
            if !same { differing += 1 }
        }
        return differing
    }
}
