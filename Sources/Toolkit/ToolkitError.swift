/// Everything that stops a `vst` tool; each case prints as one line, and `exitCode` says how the
/// command ends (2 for bad input or usage, 1 for anything else), as `CoordinatorError` does for
/// the farm's commands.
public enum ToolkitError: Error, Equatable, CustomStringConvertible {
    /// An option's value is out of range, malformed, or does not fit the files given.
    case invalidOption(String)
    /// An input file (film, picture, plan) is missing or unreadable.
    case badInput(path: String, reason: String)
    /// An output file cannot be written.
    case cannotWrite(path: String, reason: String)
    /// Bad input whose message names the file itself (most of Media's and Engine's errors do).
    case input(String)
    /// A failure that is not the input's fault, already naming what failed.
    case failed(String)

    public var description: String {
        switch self {
        case .invalidOption(let what): what
        case .badInput(let path, let reason): "\(path): \(reason)"
        case .cannotWrite(let path, let reason): "\(path): cannot write (\(reason))"
        case .input(let what): what
        case .failed(let what): what
        }
    }

    /// 2 for bad input or usage, 1 otherwise.
    public var exitCode: Int32 {
        switch self {
        case .invalidOption, .badInput, .input: 2
        case .cannotWrite, .failed: 1
        }
    }
}
