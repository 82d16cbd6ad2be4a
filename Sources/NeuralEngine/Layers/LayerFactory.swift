/// Binds a node to its layer type: the one place that maps `Operation` cases to layers.
enum LayerFactory {
    static func make(_ spec: LayerSpec) throws(EngineError) -> any Layer {
        switch spec.node.operation {
        case .convolution(let attributes):
            if let leading = spec.node.leadingPointwise {
                return try PointwiseDepthwiseLayer(spec, depthwise: attributes, leading: leading)
            }
            if spec.node.byteInputScales != nil && attributes.groups > 1 {
                return try QuantizedDepthwiseLayer(spec, attributes: attributes)
            }
            if let layer = try QuantizedPointwiseLayer.make(spec, attributes: attributes) { return layer }
            if let layer = try QuantizedSpatialLayer.make(spec, attributes: attributes) { return layer }
            return try ConvolutionLayer(spec, attributes: attributes, fusedRelu: spec.node.activation == .relu)
        case .batchNormalization(let epsilon):
            return try BatchNormalizationLayer(spec, epsilon: epsilon)
        case .relu:
            if spec.node.byteOutputScales != nil { return try QuantizingReluLayer(spec) }
            return try UnaryLayer(spec, function: .relu)
        case .exp: return try UnaryLayer(spec, function: .exp)
        case .add: return try BinaryLayer(spec, function: .add)
        case .sub: return try BinaryLayer(spec, function: .sub)
        case .mul: return try BinaryLayer(spec, function: .mul)
        case .div: return try BinaryLayer(spec, function: .div)
        case .softmax(let axis): return try SoftmaxLayer(spec, axis: axis)
        case .concat(let axis): return try ConcatLayer(spec, axis: axis)
        case .reshape, .unsqueeze: return try CopyLayer(spec)
        case .transpose(let permutation): return try TransposeLayer(spec, permutation: permutation)
        case .slice(let starts, let ends, let axes): return try SliceLayer(spec, starts: starts, ends: ends, axes: axes)
        case .gather(let axis): return try GatherLayer(spec, axis: axis)
        case .shape, .constant:
            throw EngineError(
                .unsupported, node: spec.name, "Shape and Constant nodes are evaluated at compile time only")
        }
    }
}
