import Foundation

/// The folder `scripts/training-data.sh` writes and `vst train --data` reads: photos in `photos/`,
/// real clips in `video/`, and `MANIFEST.tsv` naming each file's package, path and licence.
public struct TrainingDataFolder: Sendable, Equatable {
    /// `photos/`, when it exists.
    public var photoFolders: [String]
    /// Every file in `video/`, sorted by name.
    public var videos: [String]

    public init(path: String) throws(ToolkitError) {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .input("--data \(path) is not a folder (make one with scripts/training-data.sh)")
        }
        let photos = path + "/photos"
        photoFolders = fm.fileExists(atPath: photos) ? [photos] : []
        let video = path + "/video"
        videos = ((try? fm.contentsOfDirectory(atPath: video)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { video + "/" + $0 }
        guard !photoFolders.isEmpty || !videos.isEmpty else {
            throw .input("--data \(path) has neither photos/ nor video/ (make it with scripts/training-data.sh)")
        }
    }
}
