/// Shapes and hyper-parameters of one 2-D convolution on a single image (batch 1), NCHW.
///
/// Weights are OIHW: `outputChannels x (inputChannels / groups) x kernelHeight x kernelWidth`.
public struct ConvolutionGeometry: Sendable, Hashable, CustomStringConvertible {
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var outputChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideY: Int
    public var strideX: Int
    public var dilationY: Int
    public var dilationX: Int
    public var padTop: Int
    public var padLeft: Int
    public var padBottom: Int
    public var padRight: Int
    public var groups: Int

    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int,
        kernelHeight: Int, kernelWidth: Int, strideY: Int = 1, strideX: Int = 1,
        dilationY: Int = 1, dilationX: Int = 1,
        padTop: Int = 0, padLeft: Int = 0, padBottom: Int = 0, padRight: Int = 0, groups: Int = 1
    ) {
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.dilationY = dilationY
        self.dilationX = dilationX
        self.padTop = padTop
        self.padLeft = padLeft
        self.padBottom = padBottom
        self.padRight = padRight
        self.groups = groups
    }

    /// Output rows: `(H + padTop + padBottom - dilationY * (kH - 1) - 1) / strideY + 1`.
    public var outputHeight: Int {
        (inputHeight + padTop + padBottom - dilationY * (kernelHeight - 1) - 1) / strideY + 1
    }
    /// Output columns: `(W + padLeft + padRight - dilationX * (kW - 1) - 1) / strideX + 1`.
    public var outputWidth: Int { (inputWidth + padLeft + padRight - dilationX * (kernelWidth - 1) - 1) / strideX + 1 }
    /// Input channels each group reads.
    public var inputChannelsPerGroup: Int { inputChannels / groups }
    /// Output channels each group writes.
    public var outputChannelsPerGroup: Int { outputChannels / groups }
    /// Number of weights: `O * I/groups * kH * kW`.
    public var weightCount: Int { outputChannels * inputChannelsPerGroup * kernelHeight * kernelWidth }
    /// Input elements: `C * H * W`.
    public var inputCount: Int { inputChannels * inputHeight * inputWidth }
    /// Output elements: `O * OH * OW`.
    public var outputCount: Int { outputChannels * outputHeight * outputWidth }
    /// Multiply-adds per run.
    public var multiplyAdds: Int { outputCount * inputChannelsPerGroup * kernelHeight * kernelWidth }

    /// True when the sizes are positive, channels divide by groups and the output is not empty.
    public var isValid: Bool {
        inputChannels > 0 && inputHeight > 0 && inputWidth > 0 && outputChannels > 0 && kernelHeight > 0
            && kernelWidth > 0 && strideY > 0 && strideX > 0 && dilationY > 0 && dilationX > 0 && padTop >= 0
            && padLeft >= 0 && padBottom >= 0 && padRight >= 0 && groups > 0 && inputChannels % groups == 0
            && outputChannels % groups == 0 && outputHeight > 0 && outputWidth > 0
    }

    public var description: String {
        "conv \(inputChannels)x\(inputHeight)x\(inputWidth) -> \(outputChannels)x\(outputHeight)x\(outputWidth) k\(kernelHeight)x\(kernelWidth) s\(strideY),\(strideX) d\(dilationY),\(dilationX) p\(padTop),\(padLeft),\(padBottom),\(padRight) g\(groups)"
    }
}

/// Activation applied to a kernel's output before it is stored.
public enum Activation: Sendable, Hashable {
    case none
    /// max(0, x)
    case relu
}
