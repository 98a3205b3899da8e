/// A render method or one of its parameters out of range. The one check (`RenderMethod(name:)`,
/// `GatysParameters.validate()`) is shared by the tool that makes a request, which reports it as
/// a usage error, and by the wire decoder, which drops a TASK or SUBMIT that carries one.
public struct ParameterError: Error, Equatable, CustomStringConvertible {
    /// One line naming the option and what it must be.
    public var description: String

    public init(_ description: String) { self.description = description }
}
