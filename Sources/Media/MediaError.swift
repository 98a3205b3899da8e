/// Everything that can go wrong reading or writing media; each case prints as one line.
public enum MediaError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The file opened but holds no video stream.
    case noVideoStream(path: String)
    /// The file is not a decodable image.
    case notAnImage(path: String)
    /// An FFmpeg call returned a negative code; `reason` is av_strerror's text.
    case ffmpeg(code: Int32, operation: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): \(reason)"
        case .noVideoStream(let path): "\(path): no video stream"
        case .notAnImage(let path): "\(path): not an image"
        case .ffmpeg(let code, let operation, let reason): "\(operation) failed (\(code)): \(reason)"
        }
    }
}
