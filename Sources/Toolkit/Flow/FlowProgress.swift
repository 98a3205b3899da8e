import Foundation

/// `vst flow --video`'s progress: a one-line bar with an ETA on a terminal; plain "label i/n" lines
/// otherwise (logs, CI). Counts frame pairs, not a farm job's frames (that is `ProgressPrinter`'s).
final class FlowProgress {
    let total: Int, label: String
    let start = Date()
    let isTerminal = isatty(STDERR_FILENO) != 0
    var lastPlain = -1

    init(total: Int, label: String) { self.total = total; self.label = label }

    func update(_ done: Int) {
        let elapsed = Date().timeIntervalSince(start)
        let eta = done > 0 && total > done ? elapsed / Double(done) * Double(total - done) : 0
        if isTerminal {
            let width = 30, filled = total > 0 ? min(width, width * done / total) : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %d/%d  %.1fs elapsed, ETA %.0fs ", label, bar, done, total, elapsed, eta).utf8))
        } else if done * 10 / max(total, 1) != lastPlain || done == total {
            lastPlain = done * 10 / max(total, 1)
            FileHandle.standardError.write(Data("\(label) \(done)/\(total) pairs, \(String(format: "%.1f", elapsed))s\n".utf8))
        }
    }

    func finish(_ done: Int) {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        FileHandle.standardError.write(Data("\(label): \(done) pairs, both directions, in \(String(format: "%.1f", Date().timeIntervalSince(start)))s\n".utf8))
    }
}
