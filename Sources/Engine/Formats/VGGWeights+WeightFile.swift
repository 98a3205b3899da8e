extension VGGWeights {
    /// The weights as a weight file: `convX_Y.weight` (out, in, 3, 3) and `convX_Y.bias` (out).
    public var weightFile: WeightFile {
        WeightFile(architecture: architecture.name, inputConvention: Self.inputConvention,
                   entries: convolutions.flatMap { c in [
                       WeightFile.Entry(name: "\(c.name).weight", shape: [c.outChannels, c.inChannels, 3, 3], values: c.weight),
                       WeightFile.Entry(name: "\(c.name).bias", shape: [c.outChannels], values: c.bias),
                   ] })
    }

    /// Checks every tensor's presence and shape against the architecture the file names.
    public init(weightFile file: WeightFile, path: String) throws(WeightFileError) {
        guard let architecture = VGGArchitecture.named(file.architecture) else {
            throw .wrongArchitecture(path: path, found: file.architecture)
        }
        var convs: [Convolution] = []
        for c in architecture.convolutions {
            let shapes = [("weight", [c.outChannels, c.inChannels, 3, 3]), ("bias", [c.outChannels])]
            var values: [[Float]] = []
            for (suffix, shape) in shapes {
                let name = "\(c.name).\(suffix)"
                guard let e = file.entry(named: name) else { throw .missingTensor(path: path, name: name) }
                guard e.shape == shape else { throw .wrongShape(path: path, name: name, expected: shape, found: e.shape) }
                values.append(e.values)
            }
            convs.append(Convolution(name: c.name, outChannels: c.outChannels, inChannels: c.inChannels,
                                     weight: values[0], bias: values[1]))
        }
        self = try! VGGWeights(architecture: architecture, convolutions: convs)  // shapes checked above
    }

    /// Loads and verifies a `.vstw` file.
    public static func load(path: String) throws(WeightFileError) -> VGGWeights {
        try VGGWeights(weightFile: WeightFile.read(path: path), path: path)
    }
}
