import Foundation
import Media

/// Small films made on the spot, so writer tests do not need ../shared: a white square moving
/// exactly 2 px right per frame over a fixed colour gradient.
enum SyntheticVideo {
    static let timeBase = Rational(1, 12800)
    static let frameRate = Rational(25, 1)
    /// pts step between frames at 25 fps in a 1/12800 time base.
    static let step: Int64 = 512

    static func frames(count: Int, width: Int, height: Int) -> [RGBImage] {
        (0..<count).map { t in
            var image = RGBImage(width: width, height: height)
            for y in 0..<height {
                for x in 0..<width {
                    image[x, y] = (UInt8(x * 200 / max(1, width - 1)), UInt8(y * 200 / max(1, height - 1)), 90)
                }
            }
            let side = max(2, height / 3)
            for y in (height - side) / 2..<(height + side) / 2 {
                for x in 2 * t..<min(width, 2 * t + side) { image[x, y] = (255, 255, 255) }
            }
            return image
        }
    }

    /// Writes `count` frames to `directory/name` and returns the path and the frames written.
    static func make(count: Int = 4, width: Int = 32, height: Int = 24, in directory: URL,
                     name: String = "synthetic.mkv", options: EncoderOptions = EncoderOptions()) throws -> (path: String, frames: [RGBImage]) {
        let path = directory.appendingPathComponent(name).path
        let images = frames(count: count, width: width, height: height)
        let writer = try VideoWriter(path: path, width: width, height: height, frameRate: frameRate,
                                     timeBase: timeBase, options: options)
        for (t, image) in images.enumerated() { try writer.write(image, pts: Int64(t) * step) }
        try writer.finish()
        return (path, images)
    }
}
