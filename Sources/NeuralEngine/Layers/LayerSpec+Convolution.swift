import NeuralKernels

/// What the convolution layers (float32 and int8) read from their spec the same way.
extension LayerSpec {
    /// The convolution's geometry, from its input, weight and optional bias shapes.
    func convolutionGeometry(_ attributes: ConvolutionAttributes) throws(EngineError) -> ConvolutionGeometry {
        try attributes.geometry(
            input: inputShape(0), weight: inputShape(1), bias: inputShapes.count > 2 ? inputShapes[2] : nil, node: name)
    }

    /// The weights (input 1) and the bias (input 2, nil when absent), as constant floats.
    func convolutionConstants() throws(EngineError) -> (weights: [Float], bias: [Float]?) {
        let weights = try constantFloats(1)
        let bias: [Float]? = inputs.count > 2 && inputs[2] != nil ? try constantFloats(2) : nil
        return (weights, bias)
    }

    /// For a float32 convolution `Int8Placement` marked, when the precision is int8 and the CPU
    /// has int8 kernels: its geometry and the kernel build to use; nil otherwise.
    func int8Convolution(_ attributes: ConvolutionAttributes) throws(EngineError) -> (
        geometry: ConvolutionGeometry, variant: Int8KernelVariant
    )? {
        guard precision == .int8, node.int8, let variant = Precision.int8Kernels, elementType == .float32 else {
            return nil
        }
        return (try convolutionGeometry(attributes), variant)
    }

    /// `blocks` work items cut into one contiguous part per thread, when there are threads and the
    /// layer is large enough (`ConvolutionLayer.minimumMultiplyAddsToSplit`) to gain from it;
    /// otherwise one part.
    func parts(ofBlocks blocks: Int, multiplyAdds: Int) -> [Range<Int>] {
        guard threads > 1 && multiplyAdds >= ConvolutionLayer.minimumMultiplyAddsToSplit else { return [0..<blocks] }
        let count = max(1, min(threads, blocks))
        return (0..<count).map { blocks * $0 / count..<blocks * ($0 + 1) / count }
    }
}
