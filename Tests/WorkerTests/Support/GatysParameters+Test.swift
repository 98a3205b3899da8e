import Protocol

extension GatysParameters {
    /// A test's settings: the defaults with `change` applied.
    static func with(_ change: (inout GatysParameters) -> Void) -> GatysParameters {
        GatysParameters().with(change)
    }

    /// These settings with `change` applied.
    func with(_ change: (inout GatysParameters) -> Void) -> GatysParameters {
        var copy = self
        change(&copy)
        return copy
    }
}
