import Foundation

/// Shows a job's progress on stderr: a bar redrawn in place on a terminal, or a plain line
/// every few seconds (and at every 10%) when stderr is a file or a pipe, so logs stay readable.
public final class ProgressPrinter {
    public enum Style: Sendable { case bar, lines, none }

    public let style: Style
    private var lastPrint: ContinuousClock.Instant?
    private var lastDecile = -1
    private var drewBar = false
    private var lastLine = ""
    private let interval: Duration

    /// `.bar` when stderr is a terminal, `.lines` otherwise.
    public static var automaticStyle: Style { isatty(2) == 1 ? .bar : .lines }

    public init(style: Style = ProgressPrinter.automaticStyle, interval: Duration = .seconds(5)) {
        self.style = style
        self.interval = style == .bar ? .milliseconds(200) : interval
    }

    public func update(_ report: ProgressReport) {
        let now = ContinuousClock.now
        let decile = Int(report.fraction * 10)
        let due = lastPrint.map { now - $0 >= interval } ?? true
        switch style {
        case .none: return
        case .bar:
            guard due else { return }
            write("\r\u{1B}[K" + report.bar())
            drewBar = true
        case .lines:
            guard due || decile > lastDecile, report.line != lastLine else { return }
            write("vst-coord: " + report.line + "\n")
            lastLine = report.line
        }
        lastPrint = now
        lastDecile = decile
    }

    /// Ends the bar's line (the final figures stay on screen).
    public func finish(_ report: ProgressReport) {
        switch style {
        case .none: return
        case .bar: write("\r\u{1B}[K" + report.bar() + "\n")
        case .lines: if report.line != lastLine { write("vst-coord: " + report.line + "\n") }
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
