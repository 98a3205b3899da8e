import Engine
import Foundation

/// The ReCoNet model, among the coordinator's, that was trained on a job's style picture: a Gatys
/// chain whose chunks start from its render instead of from the content starts about twenty
/// iterations ahead (docs/benchmarks.md, "A chunk's first frame from a ReCoNet render").
///
/// A model trained since this search existed records its style picture's SHA-256, and only a file
/// with those bytes matches it; an older one records the picture's file name alone, which must
/// then be the same. A wrong match costs iterations, never the style: the optimisation still
/// runs against the job's own picture from whatever start it is given.
///
/// Of several matches a model trained with the temporal terms wins over a `--no-temporal` one:
/// the twin is kept to measure the temporal training against, and its render flickers more, so
/// a chain started from it begins further from the steady start it needs.
enum StyleModelFinder {
    /// The `.reconet` file in `folder` made for `style`, or nil: the first by name of those trained
    /// with the temporal terms, else the first by name.
    static func model(for style: String, in folder: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let styleName = (style as NSString).lastPathComponent
        var styleHash: String?
        var withoutTemporal: String?
        for name in names.sorted() where name.hasSuffix(".reconet") {
            let path = (folder as NSString).appendingPathComponent(name)
            // The head alone: the job loads (and verifies) only the model chosen.
            guard let training = try? StyleModelFile.metadata(ofFile: path).training else { continue }
            if let recorded = training[StyleModelFile.styleSHA256Key] {
                if styleHash == nil { styleHash = (try? ModelStore.sha256(ofFile: style)) ?? "" }
                guard recorded == styleHash else { continue }
            } else if training["style"] != styleName {
                continue
            }
            if training["temporal"] != "no" { return path }
            if withoutTemporal == nil { withoutTemporal = path }
        }
        return withoutTemporal
    }
}
