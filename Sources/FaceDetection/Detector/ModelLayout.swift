import NeuralEngine

/// What a face model looks like from outside: its input, where the scores and boxes are, how many
/// classes it has and whether its `boxes` are already corner boxes.
///
/// Found by inspection, so any UltraFace variant works without configuration: the input must be
/// `[1, 3, H, W]`; outputs are found by the names `scores` and `boxes` (else by shape: `[1, N, 4]` is
/// the boxes); the class count is the last dimension of `scores`; a graph that contains `Exp` nodes
/// decodes its boxes inside (the decoding is the only exponential in these networks), otherwise the
/// boxes are raw SSD offsets to be decoded with the priors of the input size.
public struct ModelLayout: Sendable, Equatable {
    /// How the `boxes` output is encoded.
    public enum BoxEncoding: Sendable, Equatable {
        /// Normalised corners `x1, y1, x2, y2` (post-processing inside the graph).
        case corners
        /// Raw SSD regression offsets `dx, dy, dw, dh`.
        case offsets
    }

    /// Name of the image input.
    public var inputName: String
    /// Network input width and height in pixels.
    public var inputWidth: Int
    public var inputHeight: Int
    /// Number of classes including the background (2: face; 3: face, masked_face).
    public var classCount: Int
    /// Number of priors (rows of both outputs).
    public var priorCount: Int
    /// Position of `scores` and `boxes` in the model's outputs.
    public var scoresOutput: Int
    public var boxesOutput: Int
    /// How `boxes` is encoded.
    public var boxEncoding: BoxEncoding

    /// Inspects a graph and the model compiled from it.
    public init(graph: Graph, model: CompiledModel) throws(FaceDetectionError) {
        guard model.inputs.count == 1, let input = model.inputs.first else {
            throw FaceDetectionError(.unsupportedModel, "expected one input, found \(model.inputs.count)")
        }
        guard input.shape.count == 4, input.shape[0] == 1, input.shape[1] == 3 else {
            throw FaceDetectionError(
                .unsupportedModel, "input '\(input.name)' has shape \(input.shape), expected [1, 3, H, W]")
        }
        guard model.outputs.count == 2 else {
            throw FaceDetectionError(
                .unsupportedModel, "expected 2 outputs (scores, boxes), found \(model.outputs.count)")
        }
        let names = model.outputs.map(\.name)
        let boxes: Int
        if let scoresIndex = names.firstIndex(of: "scores"), let boxesIndex = names.firstIndex(of: "boxes") {
            boxes = boxesIndex
            precondition(scoresIndex != boxesIndex)
        } else if let byShape = model.outputs.indices.last(where: { model.outputs[$0].shape.last == 4 }) {
            boxes = byShape
        } else {
            throw FaceDetectionError(.unsupportedModel, "cannot tell scores from boxes among outputs \(names)")
        }
        let scores = 1 - boxes
        let scoresShape = model.outputs[scores].shape
        let boxesShape = model.outputs[boxes].shape
        guard scoresShape.count == 3, boxesShape.count == 3, scoresShape[0] == 1, boxesShape[0] == 1,
            boxesShape[2] == 4, scoresShape[1] == boxesShape[1], scoresShape[2] >= 2
        else {
            throw FaceDetectionError(
                .unsupportedModel,
                "outputs have shapes \(scoresShape) (scores) and \(boxesShape) (boxes), expected [1, N, C>=2] and [1, N, 4]"
            )
        }
        inputName = input.name
        inputHeight = input.shape[2]
        inputWidth = input.shape[3]
        classCount = scoresShape[2]
        priorCount = scoresShape[1]
        scoresOutput = scores
        boxesOutput = boxes
        boxEncoding = graph.nodes.contains { $0.operation == .exp } ? .corners : .offsets
        if boxEncoding == .offsets {
            let expected = PriorBoxes(inputWidth: inputWidth, inputHeight: inputHeight).count
            guard expected == priorCount else {
                throw FaceDetectionError(
                    .unsupportedModel,
                    "\(priorCount) rows of raw offsets, but \(inputWidth)x\(inputHeight) has \(expected) priors")
            }
        }
    }
}
