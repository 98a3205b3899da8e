import Engine
import Foundation
import Media
import MediaBridge

/// The pictures `vst train` learns from, as [1, 3, h, w] tensors in 0...255: the photos that
/// `SyntheticMotion` moves into training pairs, and the style picture.
public enum TrainingPhotos {
    /// How many times the training size a photo's short side is kept at: `SyntheticMotion` crops
    /// between 0.8x the size and the whole short side, so 2 gives crops at scales from 0.8 to 2.
    public static let shortSideFactor = 2.0

    /// Every PNG or JPEG in the folders (sorted by name), resized so its short side is
    /// `shortSideFactor` times the training `size` (room for the random crops, zooms and scales of
    /// `SyntheticMotion`).
    public static func load(folders: [String], size: Int) throws(ToolkitError) -> [Tensor] {
        var photos: [Tensor] = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                throw .input("cannot list --images folder \(folder)")
            }
            for name in names.sorted() where ["png", "jpg", "jpeg"].contains(URL(fileURLWithPath: name).pathExtension.lowercased()) {
                let t: Tensor
                do { t = try ImageIO.load(path: folder + "/" + name).tensor } catch { throw .input("\(error)") }
                let (h, w) = (t.shape[2], t.shape[3])
                let short = Double(min(h, w)), target = shortSideFactor * Double(size)
                let k = target / short
                photos.append(GatysImage.resized(t, width: max(size, Int((Double(w) * k).rounded())),
                                                 height: max(size, Int((Double(h) * k).rounded()))))
            }
        }
        guard !photos.isEmpty else { throw .input("no PNG or JPEG photos in \(folders.joined(separator: ", "))") }
        return photos
    }

    /// The style picture resized to `width` pixels wide (the scale of its strokes as VGG sees
    /// them), its aspect ratio kept.
    public static func style(path: String, width: Int) throws(ToolkitError) -> Tensor {
        let t: Tensor
        do { t = try ImageIO.load(path: path).tensor } catch { throw .input("\(error)") }
        return GatysImage.resized(t, width: width, height: max(1, width * t.shape[2] / t.shape[3]))
    }
}
