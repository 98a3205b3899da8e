/// The layer table of the VGG networks (Simonyan & Zisserman 2014) as used for style transfer:
/// 3x3 convolutions with padding 1, each followed by a ReLU, and a 2x2 max pool after each
/// block. Layer names follow the style-transfer literature (`conv4_2`, `relu4_2`, `pool4`), so
/// that losses can name the layers they read. VGG-16 and VGG-19 differ only in convolutions per block.
public struct VGGArchitecture: Sendable, Equatable, CustomStringConvertible {
    public enum Layer: Sendable, Equatable {
        case conv(name: String, inChannels: Int, outChannels: Int)
        case relu(name: String)
        case pool(name: String)

        public var name: String {
            switch self {
            case .conv(let n, _, _), .relu(let n), .pool(let n): n
            }
        }
    }

    /// "vgg16" or "vgg19": also the architecture tag stored in a weight file.
    public let name: String
    public let layers: [Layer]

    public init(name: String, convolutionsPerBlock: [Int], channels: [Int] = [64, 128, 256, 512, 512]) {
        self.name = name
        var layers: [Layer] = []
        var inChannels = 3
        for (b, count) in convolutionsPerBlock.enumerated() {
            for c in 1...count {
                layers.append(.conv(name: "conv\(b + 1)_\(c)", inChannels: inChannels, outChannels: channels[b]))
                layers.append(.relu(name: "relu\(b + 1)_\(c)"))
                inChannels = channels[b]
            }
            layers.append(.pool(name: "pool\(b + 1)"))
        }
        self.layers = layers
    }

    public static let vgg16 = VGGArchitecture(name: "vgg16", convolutionsPerBlock: [2, 2, 3, 3, 3])
    public static let vgg19 = VGGArchitecture(name: "vgg19", convolutionsPerBlock: [2, 2, 4, 4, 4])
    public static let all: [VGGArchitecture] = [.vgg16, .vgg19]

    public static func named(_ name: String) -> VGGArchitecture? { all.first { $0.name == name } }

    public var description: String { name }

    /// The convolutions in order: (name, in channels, out channels).
    public var convolutions: [(name: String, inChannels: Int, outChannels: Int)] {
        layers.compactMap {
            if case .conv(let n, let i, let o) = $0 { return (n, i, o) }
            return nil
        }
    }

    /// Position of a layer by name, e.g. `index(of: "relu4_2")`.
    public func index(of layerName: String) -> Int? { layers.firstIndex { $0.name == layerName } }

    /// Number of 2x2 pools before a layer: its feature map is the input size divided by 2^n (floored each time).
    public func poolsBefore(_ layerIndex: Int) -> Int {
        layers[..<layerIndex].reduce(0) { n, l in if case .pool = l { return n + 1 }; return n }
    }
}
