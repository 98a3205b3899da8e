extension FlowField {
    /// Average endpoint error against `truth` (Baker et al. 2011): the mean Euclidean distance
    /// between vectors, skipping pixels whose ground truth is unknown (a component above 1e9) or
    /// where `valid` (if given) is 0. Returns nil when no pixel counts.
    public func averageEndpointError(to truth: FlowField, valid: [Float]? = nil) -> Double? {
        precondition(width == truth.width && height == truth.height, "EPE: flow sizes differ")
        var sum = 0.0, count = 0
        for i in 0..<pixelCount {
            let tu = truth.u[i], tv = truth.v[i]
            if !(abs(tu) < FloFile.unknownThreshold && abs(tv) < FloFile.unknownThreshold) { continue }
            if let valid, valid[i] <= 0 { continue }
            let du = Double(u[i] - tu), dv = Double(v[i] - tv)
            sum += (du * du + dv * dv).squareRoot()
            count += 1
        }
        return count > 0 ? sum / Double(count) : nil
    }
}
