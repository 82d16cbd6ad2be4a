// swift-tools-version: 6.1
import PackageDescription

/// The engine's kernels are optimised even in debug builds: SIMD code without optimisation runs
/// hundreds of times slower, which would make the golden-model tests take many minutes.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// The convolution kernels (Sources/KernelsShared) are compiled twice, and
/// `NeuralKernels.KernelVariant` picks one at run time with cpuid: `NeuralKernelsFMA` uses fused
/// multiply-add on SIMD8<Float> and is built for AVX2+FMA (x86-64 since Haswell, 2013; without
/// the flag every `addingProduct` lane becomes a libm `fmaf` call, about 100x slower), and
/// `NeuralKernelsPortable` uses separate multiply and add for the base x86-64 instruction set.
/// Other architectures (aarch64) get no CPU flag.
#if arch(x86_64)
    let fmaKernelCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
    let fmaKernelCPU: [SwiftSetting] = []
#endif

/// The int8 kernels (Sources/KernelsInt8Shared) are compiled twice as well, and
/// `NeuralKernels.Int8KernelVariant` picks one with cpuid: `NeuralKernelsInt8VNNI` for Cascade Lake
/// (AVX-512 BW/VL + VNNI: four u8 x s8 products per lane with `vpdpbusd`; Ice Lake, Sapphire Rapids
/// and Zen 4 run it too; `FACESTREAM_INT8_VNNI` selects that form in the shared source) and
/// `NeuralKernelsInt8AVX2` for Haswell (`vpmaddwd`). Both reach those instructions through the
/// header-only shims of `CInt8Instructions`. Without either the engine keeps float32
/// (`--precision int8` falls back).
///
/// `NeuralKernelsInt8VBMI` holds the int8 depthwise kernel, built for Ice Lake: it places each
/// output's three input bytes with `vpermb` (AVX-512 VBMI, which Cascade Lake lacks), and clang
/// will not inline a shim needing VBMI into Swift code built for a CPU without it. Without VBMI
/// the depthwise layers stay float32.
#if arch(x86_64)
    let int8VNNICPU: [SwiftSetting] = [
        .unsafeFlags(["-target-cpu", "cascadelake"]), .define("FACESTREAM_INT8_VNNI"),
    ]
    let int8AVX2CPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
    let int8VBMICPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "icelake-server"])]
#else
    let int8VNNICPU: [SwiftSetting] = []
    let int8AVX2CPU: [SwiftSetting] = []
    let int8VBMICPU: [SwiftSetting] = []
#endif

let package = Package(
    name: "FaceStream",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "facestream", targets: ["facestream"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries: module maps plus static inline shims where the importer needs them.
        // FFmpeg's headers plus forwarders to the libraries, which are opened with dlopen on first use
        // (a photo run never loads them); building needs libavformat-dev & co. (scripts/install-deps).
        .target(name: "CFFmpeg"),
        .systemLibrary(name: "CV4L2", path: "Sources/CV4L2", pkgConfig: "libv4l2", providers: [.apt(["libv4l-dev"])]),
        // libmosquitto (MQTT 3.1.1 client), owned by MQTTClient.
        .systemLibrary(
            name: "CMosquitto", path: "Sources/CMosquitto", pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]),
        // libjpeg reports errors by longjmp, which Swift cannot catch: a small C target does the setjmp.
        .target(name: "CLibJPEG", linkerSettings: [.linkedLibrary("jpeg")]),

        // libcurl's headers plus shims that call it through dlopen (webhooks only; building needs
        // libcurl4-openssl-dev, running a webhook needs libcurl4).
        .target(name: "CCurl"),

        // The commit the binary was built from (a C macro set by `make build`).
        .target(name: "CBuildInfo"),

        // Duration units and the EINTR-retrying system call helper, used by every target.
        .target(name: "CoreSupport"),

        // Vocabulary shared by every stage.
        .target(name: "CPixelKernels", cSettings: [.unsafeFlags(["-O2", "-ffp-contract=off", "-fno-math-errno"])]),
        .target(name: "VideoCore", dependencies: ["CPixelKernels", "CoreSupport"]),

        // Pure Swift inference engine: no I/O, no ONNX, no faces.
        .target(name: "NeuralKernelsCore", swiftSettings: optimizedInDebug),
        .target(name: "CCPUFeatures"),
        // Both read Sources/KernelsShared through a symbolic link named Shared.
        .target(
            name: "NeuralKernelsFMA", dependencies: ["NeuralKernelsCore"],
            swiftSettings: optimizedInDebug + fmaKernelCPU),
        .target(name: "NeuralKernelsPortable", dependencies: ["NeuralKernelsCore"], swiftSettings: optimizedInDebug),
        // Static inline shims for the integer multiply-adds Swift SIMD code does not reach
        // (`vpdpbusd`, `vpmaddwd`); header only.
        .systemLibrary(name: "CInt8Instructions", path: "Sources/CInt8Instructions"),
        // Both read Sources/KernelsInt8Shared through a symbolic link named Shared.
        .target(
            name: "NeuralKernelsInt8VNNI", dependencies: ["CInt8Instructions", "NeuralKernelsCore"],
            swiftSettings: optimizedInDebug + int8VNNICPU),
        .target(
            name: "NeuralKernelsInt8AVX2", dependencies: ["CInt8Instructions", "NeuralKernelsCore"],
            swiftSettings: optimizedInDebug + int8AVX2CPU),
        .target(
            name: "NeuralKernelsInt8VBMI", dependencies: ["CInt8Instructions"],
            swiftSettings: optimizedInDebug + int8VBMICPU),
        .target(
            name: "NeuralKernels",
            dependencies: [
                "NeuralKernelsCore", "NeuralKernelsFMA", "NeuralKernelsPortable", "CCPUFeatures",
                "NeuralKernelsInt8VNNI", "NeuralKernelsInt8AVX2", "NeuralKernelsInt8VBMI",
            ],
            swiftSettings: optimizedInDebug),
        .target(
            name: "NeuralEngine", dependencies: ["NeuralKernels", "CCPUFeatures", "CoreSupport"],
            swiftSettings: optimizedInDebug),
        .target(name: "ONNXImport", dependencies: ["NeuralEngine"], swiftSettings: optimizedInDebug),

        // Adapters that own C libraries.
        .target(name: "JPEGCodec", dependencies: ["CLibJPEG", "VideoCore"]),
        .target(
            name: "FFmpegMedia",
            dependencies: ["CoreSupport", "CFFmpeg", "VideoCore", .product(name: "Logging", package: "swift-log")]),

        // Cameras: discovery, format negotiation, mmap streaming (pixel conversion is optimised even in debug).
        .target(
            name: "V4L2Capture",
            dependencies: [
                "CoreSupport", "CV4L2", "VideoCore", "JPEGCodec", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: optimizedInDebug),

        // Faces: pre-processing, priors, box decoding, NMS.
        .target(name: "FaceDetection", dependencies: ["VideoCore", "NeuralEngine"], swiftSettings: optimizedInDebug),

        // Outputs (JSON lines, annotated video, track snapshots) behind the DetectionSink protocol.
        .target(
            name: "DetectionSinks",
            dependencies: [
                "CoreSupport", "VideoCore", "FFmpegMedia", "JPEGCodec", "CPixelKernels",
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Webhooks: track events POSTed as JSON from a delivery thread (libcurl).
        .target(
            name: "Webhooks",
            dependencies: [
                "CCurl", "CoreSupport", "VideoCore", "DetectionSinks", .product(name: "Logging", package: "swift-log"),
            ]),

        // In-order processors: per-stream logic after the reorder step (minimum size, tracking,
        // hold-over). Optimised in debug builds too: the tracker allocates nothing per frame only
        // once generic iteration is specialised (unoptimised, a 50-face frame made ~3,500 heap
        // allocations), and TrackerAllocationTests checks that on the code that ships.
        .target(name: "FrameProcessing", dependencies: ["VideoCore", "CoreSupport"], swiftSettings: optimizedInDebug),
        // MQTT: the broker connection on its own thread (libmosquitto), then the sink publishing
        // events, state, snapshots and Home Assistant discovery through it.
        .target(
            name: "MQTTClient",
            dependencies: ["CMosquitto", "CoreSupport", "VideoCore", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "MQTTPublishing",
            dependencies: [
                "MQTTClient", "DetectionSinks", "VideoCore", .product(name: "Logging", package: "swift-log"),
            ]),

        // Stage wiring: source thread, bounded queues, detect workers, reorder, sink.
        .target(name: "FramePipeline", dependencies: ["VideoCore", "CoreSupport"]),

        // systemd integration without libsystemd: sd_notify datagrams, watchdog pacing.
        .target(name: "SystemdSupport", dependencies: ["CoreSupport"]),

        // Composition root of the one-shot commands: settings, assembly, runners, signals, exit codes.
        .target(
            name: "FaceStreamApp",
            dependencies: [
                "CoreSupport", "CBuildInfo", "NeuralKernels",
                "VideoCore", "NeuralEngine", "ONNXImport", "JPEGCodec", "FFmpegMedia", "V4L2Capture", "FaceDetection",
                "FramePipeline", "FrameProcessing", "DetectionSinks", "Webhooks", "MQTTClient", "MQTTPublishing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        // The daemon (`facestream run`): TOML configuration, streams as services, systemd, Prometheus metrics.
        .target(
            name: "FaceStreamDaemon",
            dependencies: [
                "CoreSupport", "FaceStreamApp", "VideoCore", "FFmpegMedia", "V4L2Capture", "FramePipeline",
                "DetectionSinks", "Webhooks", "MQTTClient", "MQTTPublishing", "FaceDetection",
                "SystemdSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        // The executable: ArgumentParser commands only.
        .executableTarget(
            name: "facestream",
            dependencies: [
                "FaceStreamApp", "FaceStreamDaemon", "FramePipeline", "DetectionSinks", "FFmpegMedia", "V4L2Capture",
                "Webhooks", "MQTTClient", "MQTTPublishing", "FaceDetection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Benchmarks (release builds only, not tests).
        .executableTarget(
            name: "KernelBench", dependencies: ["NeuralKernels", "TestSupport"], path: "Benchmarks/KernelBench"),
        .executableTarget(
            name: "TrackerBench", dependencies: ["FrameProcessing", "VideoCore"], path: "Benchmarks/TrackerBench"),
        .executableTarget(name: "TrackingEval", dependencies: ["TestSupport"], path: "Benchmarks/TrackingEval"),

        // Fuzz harnesses (Fuzz/): plain programs over files in normal builds; `scripts/fuzz NAME SECONDS`
        // rebuilds them with `-sanitize=fuzzer,address -D FACESTREAM_FUZZING` and runs libFuzzer.
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Fuzz/FuzzSupport"),
        .executableTarget(
            name: "FuzzONNX", dependencies: ["FuzzSupport", "ONNXImport", "NeuralEngine", "FaceDetection"],
            path: "Fuzz/FuzzONNX"),
        .executableTarget(
            name: "FuzzConfiguration", dependencies: ["FuzzSupport", "FaceStreamDaemon"], path: "Fuzz/FuzzConfiguration"
        ),
        .executableTarget(name: "FuzzJPEG", dependencies: ["FuzzSupport", "JPEGCodec"], path: "Fuzz/FuzzJPEG"),

        // Tests and their support.
        .target(
            name: "TestSupport", dependencies: ["VideoCore", "NeuralKernels", "CoreSupport"],
            swiftSettings: optimizedInDebug),
        .testTarget(name: "NeuralKernelsTests", dependencies: ["NeuralKernels", "TestSupport"]),
        .testTarget(name: "NeuralEngineTests", dependencies: ["NeuralEngine", "ONNXImport", "TestSupport"]),
        .testTarget(name: "ONNXImportTests", dependencies: ["ONNXImport", "NeuralEngine", "TestSupport"]),
        .testTarget(
            name: "FFmpegMediaTests", dependencies: ["FFmpegMedia", "VideoCore", "CPixelKernels", "TestSupport"]),
        .testTarget(name: "V4L2CaptureTests", dependencies: ["V4L2Capture", "VideoCore", "TestSupport"]),
        .testTarget(
            name: "ImageDecodingTests", dependencies: ["JPEGCodec", "FFmpegMedia", "TestSupport", "CoreSupport"]),
        .testTarget(
            name: "FaceDetectionTests",
            dependencies: ["FaceDetection", "NeuralEngine", "ONNXImport", "JPEGCodec", "TestSupport", "CoreSupport"]),
        .testTarget(
            name: "DetectionSinksTests",
            dependencies: [
                "DetectionSinks", "FFmpegMedia", "JPEGCodec", "TestSupport", "CPixelKernels",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "WebhooksTests",
            dependencies: ["Webhooks", "DetectionSinks", "CoreSupport", "VideoCore", "TestSupport"]),
        .testTarget(name: "FramePipelineTests", dependencies: ["FramePipeline", "VideoCore", "TestSupport"]),
        .testTarget(
            name: "FrameProcessingTests", dependencies: ["FrameProcessing", "VideoCore", "JPEGCodec", "TestSupport"]),
        .testTarget(name: "CoreSupportTests", dependencies: ["CoreSupport"]),
        .testTarget(
            name: "FaceStreamAppTests",
            dependencies: [
                "FaceStreamApp", "DetectionSinks", "FrameProcessing", "VideoCore", "TestSupport", "NeuralEngine",
                "ONNXImport",
            ]),
        .testTarget(name: "SystemdSupportTests", dependencies: ["SystemdSupport", "TestSupport"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "FaceStreamDaemon", "FaceStreamApp", "DetectionSinks", "SystemdSupport", "TestSupport", "V4L2Capture",
                "VideoCore", "Webhooks", "CoreSupport",
            ]),
        .testTarget(
            name: "EndToEndTests", dependencies: ["TestSupport", "DetectionSinks", "JPEGCodec", "CoreSupport"]),
        .testTarget(
            name: "MQTTTests", dependencies: ["MQTTClient", "MQTTPublishing", "DetectionSinks", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
