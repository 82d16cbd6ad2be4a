import NeuralEngine
import ONNXImport
import Testing

/// Models built in code: what loads, and the exact error for what must not.
@Suite struct HandBuiltModelTests {
    @Test func convolutionReluLoadsWithAttributesAndWeights() throws {
        var source = TestModel.convolutionRelu
        source.inputs = [("X", [nil, 3, 8, 8])]
        let model = try ONNXImporter.load(bytes: source.encoded)
        let graph = model.graph

        #expect(model.irVersion == 7)
        #expect(model.operatorSetVersion == 9)
        #expect(model.producerName == "tests")
        #expect(graph.inputs == [Graph.Input(name: "X", shape: [nil, 3, 8, 8])])
        #expect(graph.outputs == ["Y"])
        #expect(graph.constants["W"] == Tensor(shape: [4, 3, 3, 3], floats: (0..<108).map { Float($0) * 0.25 - 13 }))
        #expect(graph.constants["B"] == Tensor(shape: [4], floats: [0.5, -1, 2, 1e-3]))
        let convolution = ConvolutionAttributes(
            kernelShape: [3, 3], strides: [2, 1], dilations: [1, 2], pads: [1, 0, 1, 2], groups: 1)
        #expect(
            graph.nodes == [
                Graph.Node(
                    name: "conv1", operation: .convolution(convolution), inputs: ["X", "W", "B"], outputs: ["C"]),
                Graph.Node(name: "relu1", operation: .relu, inputs: ["C"], outputs: ["Y"]),
            ])
    }

    @Test func weightsListedAsInputsAreConstantsNotInputs() throws {
        var source = TestModel.convolutionRelu
        source.inputs = [("X", [1, 3, 8, 8]), ("W", [4, 3, 3, 3]), ("B", [4])]
        let graph = try ONNXImporter.load(bytes: source.encoded).graph
        #expect(graph.inputs.map(\.name) == ["X"])
        #expect(graph.constants.keys.sorted() == ["B", "W"])
    }

    @Test func packedAndUnpackedFloatsAndInt64Tensors() throws {
        var source = TestModel.convolutionRelu
        source.initializers[1].data = .floatData([0.5, -1, 2, 1e-3], packed: true)
        source.initializers.append(TestTensor(name: "unused", dims: [], data: .int64Data([-7])))
        let graph = try ONNXImporter.load(bytes: source.encoded).graph
        #expect(graph.constants["B"] == Tensor(shape: [4], floats: [0.5, -1, 2, 1e-3]))
        #expect(graph.constants["unused"] == Tensor(shape: [], int64s: [-7]))
    }

    @Test func unnamedNodesGetGeneratedNames() throws {
        var source = TestModel.convolutionRelu
        source.nodes[0].name = ""
        source.nodes[1].name = ""
        let graph = try ONNXImporter.load(bytes: source.encoded).graph
        #expect(graph.nodes.map(\.name) == ["#0 Conv", "#1 Relu"])
    }

    @Test func operatorDefaultsAndNewerForms() throws {
        var source = TestModel()
        source.opsetVersion = 13
        source.inputs = [("X", [1, 4, 6])]
        source.outputs = ["S", "T", "U", "G"]
        source.initializers = [
            TestTensor(name: "starts", dims: [1], data: .int64Data([1])),
            TestTensor(name: "ends", dims: [1], data: .int64Data([Int64.max])),
            TestTensor(name: "axes", dims: [1], data: .int64Data([2])),
            TestTensor(name: "steps", dims: [1], data: .int64Data([1])),
            TestTensor(name: "idx", dims: [], data: .int64Data([0])),
        ]
        source.nodes = [
            TestNode(opType: "Slice", inputs: ["X", "starts", "ends", "axes", "steps"], outputs: ["S"]),
            TestNode(opType: "Transpose", inputs: ["X"], outputs: ["T"]),
            TestNode(opType: "Constant", inputs: [], outputs: ["k"], attributes: [.ints("value_ints", [0])]),
            TestNode(opType: "Unsqueeze", inputs: ["X", "k"], outputs: ["U"]),
            TestNode(opType: "Gather", inputs: ["X", "idx"], outputs: ["G"]),
        ]
        let nodes = try ONNXImporter.load(bytes: source.encoded).graph.nodes
        #expect(nodes[0].operation == .slice(starts: [1], ends: [Int64.max], axes: [2]))
        #expect(nodes[0].inputs == ["X"])
        #expect(nodes[1].operation == .transpose(permutation: [2, 1, 0]))
        #expect(nodes[2].operation == .constant(Tensor(shape: [1], int64s: [0])))
        #expect(nodes[3].operation == .unsqueeze(axes: [0]))
        #expect(nodes[3].inputs == ["X"])
        #expect(nodes[4].operation == .gather(axis: 0))
    }

    @Test func batchNormalizationEpsilonDefaultsAndTrainingModeIsRejected() throws {
        var source = TestModel()
        source.inputs = [("X", [1, 2, 4, 4]), ("s", [2]), ("b", [2]), ("m", [2]), ("v", [2])]
        source.nodes = [
            TestNode(
                name: "bn", opType: "BatchNormalization", inputs: ["X", "s", "b", "m", "v"], outputs: ["Y"],
                attributes: [.float("momentum", 0.9)])
        ]
        let graph = try ONNXImporter.load(bytes: source.encoded).graph
        #expect(graph.nodes.first?.operation == .batchNormalization(epsilon: 1e-5))

        source.nodes[0].outputs = ["Y", "mean", "var"]
        source.outputs = ["Y"]
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedOperator)
        #expect(error.node == "bn")
        #expect(error.description.contains("training-mode"))
    }

    @Test func unknownOperatorNamesNodeTypeAndDomain() throws {
        var source = TestModel.convolutionRelu
        source.nodes[1] = TestNode(name: "mystery", opType: "Frobnicate", inputs: ["C"], outputs: ["Y"])
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedOperator)
        #expect(error.node == "mystery")
        #expect(error.description.contains("'Frobnicate'"))
        #expect(error.description.contains("ai.onnx"))

        source.nodes[1] = TestNode(name: "custom", opType: "Relu", domain: "com.example", inputs: ["C"], outputs: ["Y"])
        let domainError = try #require(loadError(source))
        #expect(domainError.code == .unsupportedOperator)
        #expect(domainError.description.contains("com.example"))
        #expect(domainError.description.contains("(node 'custom')"))
    }

    @Test func messagesStayOnOneLine() throws {
        var source = TestModel.convolutionRelu
        source.nodes[1] = TestNode(name: "two\nlines", opType: "Frob\r\nnicate", inputs: ["C"], outputs: ["Y"])
        let error = try #require(loadError(source))
        #expect(error.node == "two\nlines")
        #expect(!error.description.contains("\n") && !error.description.contains("\r"))
        #expect(error.description.contains("(node 'two?lines')"))
    }

    @Test func attributeOfWrongTypeNamesNodeAndAttribute() throws {
        var source = TestModel.convolutionRelu
        source.nodes[0].attributes[1] = .float("strides", 2)
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedAttribute)
        #expect(error.node == "conv1")
        #expect(error.description.contains("'strides' has type FLOAT, expected INTS"))
        #expect(error.byteOffset != nil)
    }

    @Test func untypedAttributesFromOldFilesAreInferred() throws {
        var source = TestModel.convolutionRelu
        for index in source.nodes[0].attributes.indices { source.nodes[0].attributes[index].typed = false }
        #expect(loadError(source) == nil)
    }

    @Test(arguments: [
        TestAttribute.string("auto_pad", "SAME_UPPER"), .ints("pads", [1, 1]), .ints("strides", [0, 1]),
        .int("group", 0), .ints("kernel_shape", [3, 3, 3]), .float("alpha", 1),
    ])
    func convolutionAttributesTheEngineCannotHonourAreRejected(_ attribute: TestAttribute) throws {
        var source = TestModel.convolutionRelu
        source.nodes[0].attributes.removeAll { $0.name == attribute.name }
        source.nodes[0].attributes.append(attribute)
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedAttribute)
        #expect(error.node == "conv1")
        #expect(error.description.contains("'\(attribute.name)'"))
    }

    @Test func unknownAttributeOnReluIsRejected() throws {
        var source = TestModel.convolutionRelu
        source.nodes[1].attributes = [.float("alpha", 0.1)]
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedAttribute)
        #expect(error.description.contains("Relu attribute 'alpha'"))
        #expect(error.description.contains("(node 'relu1')"))
    }

    @Test func sliceStepsOtherThanOneAreRejected() throws {
        var source = TestModel()
        source.opsetVersion = 11
        source.initializers = [
            TestTensor(name: "s", dims: [1], data: .int64Data([0])),
            TestTensor(name: "e", dims: [1], data: .int64Data([4])),
            TestTensor(name: "a", dims: [1], data: .int64Data([3])),
            TestTensor(name: "st", dims: [1], data: .int64Data([2])),
        ]
        source.nodes = [TestNode(name: "cut", opType: "Slice", inputs: ["X", "s", "e", "a", "st"], outputs: ["Y"])]
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedAttribute)
        #expect(error.node == "cut")
    }

    @Test func externalDataIsRejectedNamingTheTensor() throws {
        var source = TestModel.convolutionRelu
        source.initializers[0] = TestTensor(name: "W", dims: [4, 3, 3, 3], data: .raw([]), external: true)
        let error = try #require(loadError(source))
        #expect(error.code == .externalData)
        #expect(error.description.contains("initializer 'W': external tensor data is not supported"))
    }

    @Test func unsupportedElementTypeIsRejected() throws {
        var source = TestModel.convolutionRelu
        source.initializers[1] = TestTensor(
            name: "B", dims: [4], data: .bytes(dataType: 11, [UInt8](repeating: 0, count: 32)))
        let error = try #require(loadError(source))
        #expect(error.code == .unsupportedDataType)
        #expect(error.description.contains("initializer 'B': element type DOUBLE"))
    }

    @Test func tensorDataThatDoesNotMatchItsDimensionsIsMalformed() throws {
        var source = TestModel.convolutionRelu
        source.initializers[0] = TestTensor(name: "W", dims: [4, 3, 3, 3], data: .raw([1, 2, 3]))
        #expect(loadError(source)?.code == .malformed)
        source.initializers[0] = TestTensor(name: "W", dims: [4, -3, 3, 3], data: .raw([1, 2, 3]))
        #expect(loadError(source)?.code == .malformed)
        source.initializers[0] = TestTensor(name: "W", dims: [1 << 40, 1 << 40], data: .raw([]))
        #expect(loadError(source)?.code == .malformed)
    }

    @Test func nodeReadingAnUndefinedValueIsRejected() throws {
        var source = TestModel.convolutionRelu
        source.nodes[1].inputs = ["nowhere"]
        let error = try #require(loadError(source))
        #expect(error.code == .invalidGraph)
        #expect(error.node == "relu1")
        #expect(error.description.contains("'nowhere'"))
    }

    @Test func unsortedNodesAreRejected() throws {
        var source = TestModel.convolutionRelu
        source.nodes.reverse()
        let error = try #require(loadError(source))
        #expect(error.code == .invalidGraph)
        #expect(error.node == "relu1")
        #expect(error.description.contains("not topologically sorted"))
        #expect(error.description.contains("'conv1'"))
    }

    @Test func missingGraphOutputAndDoubleDefinitionAreRejected() throws {
        var source = TestModel.convolutionRelu
        source.outputs = ["Y", "Z"]
        let missing = try #require(loadError(source))
        #expect(missing.code == .invalidGraph)
        #expect(missing.description.contains("graph output 'Z'"))

        source = TestModel.convolutionRelu
        source.nodes[1].outputs = ["C"]
        source.outputs = ["C"]
        let twice = try #require(loadError(source))
        #expect(twice.code == .invalidGraph)
        #expect(twice.description.contains("'C' is defined twice"))
    }

    @Test func wrongInputCountIsRejected() throws {
        var source = TestModel.convolutionRelu
        source.nodes[0].inputs = ["X"]
        let error = try #require(loadError(source))
        #expect(error.code == .invalidGraph)
        #expect(error.description.contains("Conv takes 2 to 3 inputs, the node has 1"))
    }

    @Test func modelWithoutOperatorSetOrGraphIsMalformed() throws {
        var source = TestModel.convolutionRelu
        source.opsetVersion = nil
        #expect(loadError(source)?.code == .malformed)
        #expect(loadError([])?.code == .malformed)
    }
}
