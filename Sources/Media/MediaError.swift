/// Everything that can go wrong reading or writing media; each case prints as one line.
///
/// Paths are carried so the message names the file the user gave; FFmpeg failures name the
/// call that failed (see `MediaError+FFmpeg.swift`, the one place negative codes are turned
/// into errors).
public enum MediaError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The file opened but FFmpeg cannot make sense of it: truncated, corrupt, or not media.
    case invalidMedia(path: String, reason: String)
    /// The file opened but holds no video stream.
    case noVideoStream(path: String)
    /// The file is a single still image where a film was expected.
    case stillImage(path: String)
    /// The file is not a decodable image.
    case notAnImage(path: String)
    /// `ImageIO.save` was given a name that is neither .png nor .jpg/.jpeg.
    case unsupportedImageType(path: String)
    /// An image sequence pattern matches no file.
    case emptySequence(pattern: String)
    /// A file between an image sequence's first and last frame is missing; `path` is the first
    /// such file.
    case sequenceGap(path: String, first: String, last: String)
    /// An image sequence's frames are of a type vst does not read or write there.
    case unsupportedSequenceType(path: String, accepted: String)
    /// No container is known for the output name's extension.
    case unsupportedContainer(path: String)
    /// This FFmpeg build lacks the encoder the output needs (e.g. libx264).
    case encoderUnavailable(name: String)
    /// The chosen container cannot hold the chosen video codec (e.g. FFV1 in .mp4).
    case codecNotInContainer(codec: String, path: String)
    /// The file cannot be created or written.
    case cannotWrite(path: String, reason: String)
    /// An image handed to a writer does not have the size the writer was opened with.
    case sizeMismatch(expectedWidth: Int, expectedHeight: Int, width: Int, height: Int)
    /// A frame's timestamp is not after the previous frame's; encoders need increasing pts.
    case nonIncreasingTimestamp(previous: Int64, pts: Int64)
    /// An argument is out of range (zero size, negative frame number, ...).
    case invalidArgument(String)
    /// The object was used after `finish()` or after an earlier failure closed it.
    case closed(String)
    /// An FFmpeg call returned a negative code; `reason` is av_strerror's text.
    case ffmpeg(code: Int32, operation: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "\(path): \(reason)"
        case .invalidMedia(let path, let reason): "\(path): not readable media (\(reason))"
        case .noVideoStream(let path): "\(path): no video stream"
        case .stillImage(let path): "\(path): a still image, not a film"
        case .notAnImage(let path): "\(path): not an image"
        case .unsupportedImageType(let path): "\(path): unknown image type (use .png, .jpg or .jpeg)"
        case .emptySequence(let pattern): "\(pattern): no file matches the image sequence pattern"
        case .sequenceGap(let path, let first, let last): "\(path): missing from the image sequence, which runs from \(first) to \(last)"
        case .unsupportedSequenceType(let path, let accepted): "\(path): unsupported image sequence type (\(accepted))"
        case .unsupportedContainer(let path): "\(path): unknown output container (use .mkv, .mp4, .mov, .webm or .avi)"
        case .encoderUnavailable(let name): "encoder \(name) is not available in this FFmpeg build"
        case .codecNotInContainer(let codec, let path): "\(path): the container cannot hold \(codec) video"
        case .cannotWrite(let path, let reason): "\(path): cannot write (\(reason))"
        case .sizeMismatch(let ew, let eh, let w, let h): "frame is \(w)x\(h) but the writer expects \(ew)x\(eh)"
        case .nonIncreasingTimestamp(let previous, let pts): "frame pts \(pts) is not after the previous frame's \(previous)"
        case .invalidArgument(let what): "invalid argument: \(what)"
        case .closed(let what): "\(what) is closed"
        case .ffmpeg(let code, let operation, let reason): "\(operation) failed (\(code)): \(reason)"
        }
    }
}
