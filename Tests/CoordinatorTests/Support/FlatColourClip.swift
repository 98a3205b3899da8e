import Foundation

/// A short clip of one flat colour, 0x4080C0, that the ffmpeg command line encodes with one
/// colour description (converted with `matrix` and `range` by its scale filter, the stream
/// tagged with `tags`), and what ffprobe and ffmpeg read back from a film: its four colour tags
/// and its decoded pixels. Media's tests hold the same clips; test targets share no code.
struct FlatColourClip: Sendable, CustomStringConvertible {
    static let colour: [UInt8] = [0x40, 0x80, 0xC0]

    var name: String
    /// ffmpeg's scale filter names: bt601 or bt709; tv or pc.
    var matrix: String
    var range: String
    /// -colorspace, -color_primaries, -color_trc as ffmpeg names them.
    var tags: [String]

    var description: String { name }

    static let bt601Limited = FlatColourClip(name: "BT.601 limited", matrix: "bt601", range: "tv",
                                             tags: ["bt470bg", "bt470bg", "smpte170m"])
    static let bt709Limited = FlatColourClip(name: "BT.709 limited", matrix: "bt709", range: "tv", tags: ["bt709", "bt709", "bt709"])
    static let bt709Full = FlatColourClip(name: "BT.709 full", matrix: "bt709", range: "pc", tags: ["bt709", "bt709", "bt709"])

    /// Writes the clip (H.264 in MP4, 25 fps) into `folder` and returns its path.
    func make(in folder: URL, frames: Int, width: Int = 64, height: Int = 48) throws -> String {
        let path = folder.appendingPathComponent(name.replacingOccurrences(of: " ", with: "-") + ".mp4").path
        _ = try Tools.ffmpeg(["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0x4080C0:s=\(width)x\(height):r=25,format=rgb24",
                              "-frames:v", "\(frames)", "-vf", "scale=out_color_matrix=\(matrix):out_range=\(range),format=yuv420p",
                              "-colorspace", tags[0], "-color_primaries", tags[1], "-color_trc", tags[2], "-color_range", range,
                              "-c:v", "libx264", "-preset", "ultrafast", path])
        return path
    }

    /// ffprobe's color_space, color_primaries, color_transfer and color_range of the first video stream.
    static func probedTags(_ path: String) throws -> [String] {
        try Tools.ffprobe(["-select_streams", "v:0", "-show_entries", "stream=color_space,color_primaries,color_transfer,color_range",
                           "-of", "default=nw=1", path]).split(whereSeparator: \.isNewline).map(String.init).sorted()
    }

    /// The central half of every frame of `path` as rgb24, decoded by the ffmpeg command line
    /// (which converts with the film's tags), frame after frame.
    static func centralPixels(_ path: String, scratch folder: URL) throws -> [UInt8] {
        let raw = folder.appendingPathComponent("patch-\(UUID().uuidString).rgb")
        _ = try Tools.ffmpeg(["-v", "error", "-i", path, "-vf", "crop=iw/2:ih/2", "-f", "rawvideo", "-pix_fmt", "rgb24", raw.path])
        return Array(try Data(contentsOf: raw))
    }
}
