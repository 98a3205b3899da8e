import ArgumentParser
import Engine
import Foundation
import Media
import MediaBridge
import ToolSupport

extension StylizeCommand {
    /// `vst stylize IMG --model m.reconet --out OUT.png [--size N]`: one pass of a trained
    /// ReCoNet, the picture resized to `--size` pixels wide first.
    func stylize(model path: String) throws {
        let network: ReCoNet
        do { network = try StyleModelFile.read(path: path).makeNetwork() } catch {
            Self.failWithOneLine("\(error)", status: 2)
        }
        var picture: Tensor
        do { picture = try ImageIO.load(path: content).tensor } catch {
            Self.failWithOneLine("\(error)", status: 2)
        }
        let (h, w) = (picture.shape[2], picture.shape[3])
        if w != size { picture = GatysImage.resized(picture, width: size, height: max(1, (h * size + w / 2) / w)) }
        let started = Date()
        let styled = network.stylize(picture)
        FileHandle.standardError.write(Data(String(format: "done: %dx%d in %.2fs\n", styled.shape[3], styled.shape[2],
                                                   Date().timeIntervalSince(started)).utf8))
        do { try ImageIO.save(RGBImage(tensor: styled), to: out) } catch {
            Self.failWithOneLine("\(error)", status: 1)
        }
    }
}
