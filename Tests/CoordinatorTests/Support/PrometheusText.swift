/// A small reader of the Prometheus text exposition format (version 0.0.4): enough to check
/// that `/metrics` parses and to read its samples. Every sample line is `NAME{LABELS} VALUE`;
/// `# HELP` and `# TYPE` lines are checked for shape; anything else is an error.
enum PrometheusText {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var description: String { "not Prometheus text: \(line)" }
    }

    static func parse(_ text: String) throws -> [Sample: Double] {
        var samples: [Sample: Double] = [:]
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            if line.hasPrefix("#") {
                let words = line.split(separator: " ")
                guard words.count >= 3, ["HELP", "TYPE"].contains(words[1]) else { throw ParseError(line: line) }
                if words[1] == "TYPE", words.count != 4 || !["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3]) {
                    throw ParseError(line: line)
                }
                continue
            }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { throw ParseError(line: line) }
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let brace = series.firstIndex(of: "{") {
                guard series.hasSuffix("}") else { throw ParseError(line: line) }
                name = String(series[..<brace])
                let inner = series[series.index(after: brace)..<series.index(before: series.endIndex)]
                for pair in inner.split(separator: ",") where !pair.isEmpty {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2, parts[1].hasPrefix("\""), parts[1].hasSuffix("\""), parts[1].count >= 2 else { throw ParseError(line: line) }
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            guard let first = name.first, first.isLetter || first == "_" || first == ":",
                  name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }) else { throw ParseError(line: line) }
            samples[Sample(name: name, labels: labels)] = value
        }
        return samples
    }

    /// The value of `name` with exactly `labels`, or nil.
    static func value(_ samples: [Sample: Double], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples[Sample(name: name, labels: labels)]
    }
}
