import Foundation
import Media

/// Small films made on the spot, so writer tests do not need ../shared: a white square moving
/// exactly 2 px right per frame (wrapping at the right edge) over a fixed colour gradient.
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
                for dx in 0..<side { image[(2 * t + dx) % width, y] = (255, 255, 255) } // wraps around
            }
            return image
        }
    }

    /// Writes `count` frames to `directory/name` and returns the path and the frames written.
    /// With `tone`, the film also carries one second of a 440 Hz tone (16-bit PCM, copied from a
    /// WAV file written here: Media copies sound but never encodes it).
    static func make(count: Int = 4, width: Int = 32, height: Int = 24, in directory: URL,
                     name: String = "synthetic.mkv", options: EncoderOptions = EncoderOptions(),
                     tone: Bool = false) throws -> (path: String, frames: [RGBImage]) {
        let path = directory.appendingPathComponent(name).path
        let images = frames(count: count, width: width, height: height)
        let wav = tone ? try writeTone(to: directory.appendingPathComponent("tone-\(UUID().uuidString).wav")) : nil
        let writer = try VideoWriter(path: path, width: width, height: height, frameRate: frameRate,
                                     timeBase: timeBase, options: options, copyingStreamsFrom: wav)
        for (t, image) in images.enumerated() { try writer.write(image, pts: Int64(t) * step) }
        try writer.finish()
        return (path, images)
    }

    /// A WAV file (RIFF, PCM, mono, 16-bit, 48 kHz) holding `seconds` of a 440 Hz sine.
    static func writeTone(to url: URL, seconds: Double = 1) throws -> String {
        let rate = 48_000, count = Int(Double(rate) * seconds)
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + count * 2))
        data.append(contentsOf: Array("WAVEfmt ".utf8)); append(UInt32(16))
        append(UInt16(1)); append(UInt16(1)); append(UInt32(rate)); append(UInt32(rate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(UInt32(count * 2))
        for i in 0..<count { append(Int16((sin(2 * Double.pi * 440 * Double(i) / Double(rate)) * 12_000).rounded())) }
        try data.write(to: url)
        return url.path
    }
}
