import Foundation

/// A short clip of one flat colour, 0x4080C0, encoded by the ffmpeg command line (an independent
/// encoder) with one colour description: the RGB is converted with `matrix` and `range` by
/// ffmpeg's scale filter and the stream tagged with `tags`. Reading it back with the wrong
/// matrix moves red by about 6 levels, with the wrong range by far more, so a decoded patch
/// within 2 levels of the colour shows that the declared matrix and range were applied.
struct FlatColourClip: Sendable, CustomStringConvertible {
    static let colour: [UInt8] = [0x40, 0x80, 0xC0]

    var name: String
    /// ffmpeg's scale filter names: bt601 or bt709; tv or pc.
    var matrix: String
    var range: String
    /// -colorspace, -color_primaries, -color_trc as ffmpeg names them; empty for an untagged clip.
    var tags: [String]

    var description: String { name }

    static let bt601Limited = FlatColourClip(name: "BT.601 limited", matrix: "bt601", range: "tv",
                                             tags: ["bt470bg", "bt470bg", "smpte170m"])
    static let bt709Limited = FlatColourClip(name: "BT.709 limited", matrix: "bt709", range: "tv", tags: ["bt709", "bt709", "bt709"])
    static let bt709Full = FlatColourClip(name: "BT.709 full", matrix: "bt709", range: "pc", tags: ["bt709", "bt709", "bt709"])
    /// BT.601 samples with no tags at all: what an SD film that declares nothing means to a player.
    static let untaggedSD = FlatColourClip(name: "untagged SD", matrix: "bt601", range: "tv", tags: [])
    /// BT.601 samples tagged as BT.709: reading them as tagged must miss the colour.
    static let bt601TaggedAsBT709 = FlatColourClip(name: "BT.601 tagged BT.709", matrix: "bt601", range: "tv",
                                                   tags: ["bt709", "bt709", "bt709"])

    /// Writes the clip (H.264 in MP4, 25 fps) into `folder` and returns its path.
    func make(in folder: URL, frames: Int = 5, width: Int = 64, height: Int = 48) throws -> String {
        let path = folder.appendingPathComponent(name.replacingOccurrences(of: " ", with: "-") + ".mp4").path
        var arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x4080C0:s=\(width)x\(height):r=25,format=rgb24",
                         "-frames:v", "\(frames)", "-vf", "scale=out_color_matrix=\(matrix):out_range=\(range),format=yuv420p"]
        if tags.count == 3 {
            arguments += ["-colorspace", tags[0], "-color_primaries", tags[1], "-color_trc", tags[2], "-color_range", range]
        }
        _ = try Tools.run("ffmpeg", arguments + ["-c:v", "libx264", "-preset", "ultrafast", path], timeout: 60)
        return path
    }

    /// ffprobe's color_space, color_primaries, color_transfer and color_range of the first video stream.
    static func probedTags(_ path: String) throws -> [String] {
        let data = try Tools.run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                             "stream=color_space,color_primaries,color_transfer,color_range", "-of", "default=nw=1", path])
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init).sorted()
    }

    /// The largest difference, in levels, between `colour` and any channel of the central
    /// half of `pixels` (a `width` x `height` rgb24 picture), away from the edges.
    static func worstDifference(_ pixels: [UInt8], width: Int, height: Int) -> Int {
        var worst = 0
        for y in (height / 4)..<(3 * height / 4) {
            for x in (width / 4)..<(3 * width / 4) {
                for c in 0..<3 { worst = max(worst, abs(Int(pixels[(y * width + x) * 3 + c]) - Int(colour[c]))) }
            }
        }
        return worst
    }
}
