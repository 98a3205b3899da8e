extension VGGWeights {
    /// Imports the convolution weights of an ONNX VGG-16 or VGG-19 (any exporter: tf2onnx's Keras
    /// conv base, the ONNX model zoo's VGG). Convolutions are found by structure, not by name: the
    /// graph's Conv nodes in topological order whose kernel is a 3x3 initializer, with the bias
    /// taken from the Conv's third input or from an Add that follows it. The (in, out) channel
    /// sequence then decides between VGG-19 and VGG-16; any layers after the conv base (a
    /// classifier head) are ignored. When the graph has no usable Conv nodes, the 3x3 kernels
    /// are taken in the order they are stored, each with the next unused bias of its width.
    /// - Parameter candidates: architectures to try, most convolutions first.
    public init(onnx model: ONNXModel, candidates: [VGGArchitecture] = [.vgg19, .vgg16]) throws(VGGWeightsError) {
        var byName: [String: ONNXModel.Tensor] = [:]
        for t in model.initializers where byName[t.name] == nil { byName[t.name] = t }
        func isKernel(_ t: ONNXModel.Tensor) -> Bool { t.dims.count == 4 && t.dims[2] == 3 && t.dims[3] == 3 }
        func isBias(_ t: ONNXModel.Tensor, width: Int) -> Bool {
            t.elementCount == width && t.dims.filter { $0 != 1 }.count <= 1
        }

        var found: [(kernel: ONNXModel.Tensor, bias: ONNXModel.Tensor?)] = []
        for (i, node) in model.nodes.enumerated() where node.opType == "Conv" && node.inputs.count >= 2 {
            guard let kernel = byName[node.inputs[1]], isKernel(kernel) else { continue }
            let width = kernel.dims[0]
            var bias: ONNXModel.Tensor? = nil
            if node.inputs.count >= 3, let b = byName[node.inputs[2]], isBias(b, width: width) {
                bias = b
            } else if let out = node.outputs.first,
                      let add = model.nodes[(i + 1)...].first(where: { $0.inputs.contains(out) }), add.opType == "Add" {
                bias = add.inputs.compactMap { byName[$0] }.first { isBias($0, width: width) }
            }
            found.append((kernel, bias))
        }
        if found.isEmpty {
            var used = Set<String>()
            for kernel in model.initializers where isKernel(kernel) {
                let width = kernel.dims[0]
                let after = model.initializers.drop { $0.name != kernel.name }
                let bias = after.first { isBias($0, width: width) && !used.contains($0.name) }
                if let b = bias { used.insert(b.name) }
                found.append((kernel, bias))
            }
        }

        let shapes = found.map { [$0.kernel.dims[1], $0.kernel.dims[0]] }
        func fits(_ a: VGGArchitecture) -> Bool {
            let want = a.convolutions.map { [$0.inChannels, $0.outChannels] }
            return shapes.count >= want.count && Array(shapes.prefix(want.count)) == want
        }
        guard let architecture = candidates.first(where: fits) else {
            throw .noVGGConvolutions(found: found.count)
        }
        var convolutions: [Convolution] = []
        for ((kernel, bias), spec) in zip(found, architecture.convolutions) {
            guard let bias else { throw .missingBias(layer: spec.name) }
            do throws(ONNXError) {
                convolutions.append(Convolution(name: spec.name, outChannels: spec.outChannels, inChannels: spec.inChannels,
                                                weight: try kernel.floats(), bias: try bias.floats()))
            } catch {
                throw .onnx(error)
            }
        }
        try self.init(architecture: architecture, convolutions: convolutions)
    }
}
