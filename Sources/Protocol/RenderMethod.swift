/// How a job's frames are rendered: the one place a method is named, parsed and checked. It
/// travels as its name ("gatys", "sleep:400"), so JSON written by any tool reads as text, but a
/// peer that decodes a `TaskSpec` or `JobRequest` has a checked value or a decode error, never an
/// unknown string to find out about mid-chunk.
public enum RenderMethod: Sendable, Hashable, CustomStringConvertible {
    /// Gatys optimisation, chained along the film's motion (Ruder et al.), with `GatysParameters`.
    case gatys
    /// A trained feed-forward ReCoNet (`--model FILE.reconet`).
    case reconet
    /// The output is the input: the farm alone, for tests and benchmarks.
    case copy
    /// `copy`, waiting `milliseconds` per frame: a test method with a known cost.
    case sleep(milliseconds: Int)

    /// The waits `sleep:MS` accepts, in milliseconds (up to ten minutes a frame).
    public static let sleepMilliseconds = 0...600_000
    /// The names as help texts list them.
    public static let names = "gatys, reconet, copy or sleep:MS"

    /// Reads a method's name: `gatys`, `reconet`, `copy` or `sleep:MS`.
    public init(name: String) throws(ParameterError) {
        switch name {
        case "gatys": self = .gatys
        case "reconet": self = .reconet
        case "copy": self = .copy
        default:
            guard name.hasPrefix("sleep:"), let ms = Int(name.dropFirst("sleep:".count)),
                  Self.sleepMilliseconds.contains(ms) else {
                throw ParameterError("method \(name) is not one of \(Self.names) (MS in \(Self.sleepMilliseconds))")
            }
            self = .sleep(milliseconds: ms)
        }
    }

    public var description: String {
        switch self {
        case .gatys: "gatys"
        case .reconet: "reconet"
        case .copy: "copy"
        case .sleep(let ms): "sleep:\(ms)"
        }
    }
}

extension RenderMethod: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do { self = try RenderMethod(name: try container.decode(String.self)) } catch let error as ParameterError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
