extension Duration {
    /// The duration in seconds as a Double (for display, rates and command-line values only).
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// Seconds as a help text writes them: "10" for ten seconds, "0.05" for fifty milliseconds;
    /// so that help texts read `Liveness` instead of retyping its numbers.
    public var secondsText: String {
        let value = seconds
        return value == value.rounded() ? String(Int64(value)) : String(value)
    }

    /// Whole milliseconds as a help text writes them (environment variables in ms).
    public var millisecondsText: String { String(Int64((seconds * 1000).rounded())) }
}
