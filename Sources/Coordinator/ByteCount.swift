import Foundation

/// Sizes on disk as people type and read them: `--disk-budget 2G` in, `1.4 GiB` out. Units are
/// binary (K = 1024 bytes), as `du -h` and `df -h` count them.
public enum ByteCount {
    private static let units: [(suffix: Character, shift: Int)] = [("K", 10), ("M", 20), ("G", 30), ("T", 40)]

    /// A byte count from `512M`, `2G`, `1.5G` or plain bytes (`1048576`); nil for anything else
    /// or a negative count. `KiB`/`GiB` spellings and a trailing `B` are taken too.
    public static func parse(_ text: String) -> Int? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        if body.hasSuffix("IB") { body = body.dropLast(2) } else if body.hasSuffix("B") { body = body.dropLast() }
        var multiplier = 1.0
        if let last = body.last, let unit = units.first(where: { $0.suffix == last }) {
            multiplier = Double(Int64(1) << unit.shift)
            body = body.dropLast()
        }
        guard let number = Double(body), number.isFinite, number >= 0 else { return nil }
        let bytes = (number * multiplier).rounded()
        guard bytes < Double(Int.max) else { return nil }
        return Int(bytes)
    }

    /// `812 B`, `3.4 KiB`, `1.4 GiB`: one decimal from KiB on.
    public static func format(_ bytes: Int) -> String {
        var value = Double(bytes), name = "B"
        for (suffix, _) in units where value >= 1024 {
            value /= 1024
            name = "\(suffix)iB"
        }
        return name == "B" ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(name)"
    }
}
