/// The masks of Ruder, Dosovitskiy, Brox 2016's long-term temporal loss (eq. 9-10): frame i is
/// held to several earlier outputs i - j, j in J, each carried onto i's grid by the flow
/// between the two input frames, but every pixel only to the *nearest* earlier frame that saw
/// it reliably:
///
///     c_long(i - j, i) = max(c(i - j, i) - sum over k in J, k < j of c(i - k, i), 0).
///
/// So a region hidden for a few frames (an occluder passing) is pulled back to how it looked
/// before it was hidden, while everywhere else the nearest frame decides, as in the short-term loss.
public enum LongTermMasks {
    /// - Parameter reliabilities: `c(i - j, i)` for each j of J in increasing j, one value per
    ///   pixel each (all the same length).
    /// - Returns: `c_long(i - j, i)` in the same order.
    public static func masks(_ reliabilities: [[Float]]) -> [[Float]] {
        guard let n = reliabilities.first?.count else { return [] }
        precondition(reliabilities.allSatisfy { $0.count == n }, "long-term masks: planes of different sizes")
        var nearer = [Float](repeating: 0, count: n)
        return reliabilities.map { c in
            var out = [Float](repeating: 0, count: n)
            for p in 0..<n {
                out[p] = max(c[p] - nearer[p], 0)
                nearer[p] += c[p]
            }
            return out
        }
    }
}
