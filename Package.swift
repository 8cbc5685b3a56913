// swift-tools-version:6.0
// translate: unpaired image-to-image translation (CycleGAN) and style transfer on the CPU.
// Module chain (one way, see README): CBLAS/CKernels → TensorCore → SafeTensors → Autograd → NN → Translation
// → translate; CImageCodecs → ImageCodecs → Translation; AtomicFiles (the one atomic file writer) below both
// SafeTensors and ImageCodecs; PyTorchFiles (.pth reading, no dependencies) → Translation; beside Translation, for
// the CLI only: SyntheticScenes (rendered datasets), TrainingReport (the HTML report), TensorBoardEvents
// (TensorBoard event files), Benchmarks, ONNXExport (SwiftProtobuf → ONNXProto → ONNXExport); CMPI (Open MPI,
// dlopened at run time) → Distributed (the job's processes: one, or an MPI job) → Translation.
import PackageDescription

let package = Package(
  name: "translate",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "translate", targets: ["translate"]),
    .library(name: "Translation", targets: ["Translation"]),
    .library(name: "NN", targets: ["NN"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // ONNXProto and TensorBoardEvents: the runtime of the committed code generated from .proto files.
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    // OpenBLAS on Linux; Accelerate on macOS (see TensorCore/GEMM.swift).
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    // Small C kernels that need AVX2/FMA, chosen at run time by a CPU check (no build flags).
    .target(name: "CKernels", path: "Sources/CKernels"),
    // The only place libpng and libjpeg are called; setjmp/longjmp never cross into Swift.
    .target(
      name: "CImageCodecs", path: "Sources/CImageCodecs",
      linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),
    .target(
      name: "TensorCore",
      dependencies: [
        .target(name: "CBLAS", condition: .when(platforms: [.linux])), "CKernels",
      ],
      linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]),
    // Temporary file beside the destination, then rename: images, model files and the report all write this way.
    .target(name: "AtomicFiles"),
    .target(name: "SafeTensors", dependencies: ["TensorCore", "AtomicFiles"]),
    .target(name: "Autograd", dependencies: ["TensorCore"]),
    .target(name: "NN", dependencies: ["Autograd", "SafeTensors"]),
    .target(name: "ImageCodecs", dependencies: ["CImageCodecs", "AtomicFiles"]),
    // Reading PyTorch .pth checkpoints without Python: a restricted unpickler and a stored-zip reader. Depends on
    // nothing, so the fuzz harness compiles it alone.
    .target(name: "PyTorchFiles"),
    // Open MPI loaded with dlopen only when mpirun/srun started the process: no MPI needed to build or to run alone.
    .target(
      name: "CMPI", path: "Sources/CMPI", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
    // The processes of a job and their collectives (sum, gather): one process, or MPI_COMM_WORLD.
    .target(name: "Distributed", dependencies: ["CMPI"]),
    .target(name: "Translation", dependencies: ["NN", "ImageCodecs", "PyTorchFiles", "Distributed"]),
    // Procedural day/night scenes: images, no tensors (the splitmix hash is TensorCore's).
    .target(name: "SyntheticScenes", dependencies: ["ImageCodecs", "TensorCore"]),
    // The HTML training report, driven by the trainer's events.
    .target(name: "TrainingReport", dependencies: ["Translation", "AtomicFiles"]),
    // onnx/onnx's onnx.proto as Swift (swift-protobuf), made once by scripts/generate_onnx_proto.sh and committed.
    .target(
      name: "ONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
      exclude: ["onnx.proto"]),
    // `translate export`: our generators as ONNX graphs.
    .target(name: "ONNXExport", dependencies: ["Translation", "ONNXProto", "AtomicFiles"]),
    // `translate train --tensorboard DIR`: TensorBoard event files driven by the trainer's events. Generated/ is
    // swift-protobuf's code for TensorBoard's .proto files (Protos/), made by scripts/generate_tensorboard_protos.sh
    // and committed: building never runs protoc.
    .target(
      name: "TensorBoardEvents",
      dependencies: ["Translation", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
      exclude: ["Protos"]),
    // `translate bench`: layer and network timings, the cblas_sgemm yardstick; the halo measurement; under mpirun the
    // gradient allreduce.
    .target(
      name: "Benchmarks",
      dependencies: [
        "Translation", "Distributed", "SyntheticScenes",
        .target(name: "CBLAS", condition: .when(platforms: [.linux])),
      ],
      linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]),
    .executableTarget(
      name: "translate",
      dependencies: [
        "Translation", "Distributed", "SyntheticScenes", "TrainingReport", "TensorBoardEvents", "Benchmarks",
        "ONNXExport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // What the test targets share, in two layers: random tensors, differences, temporary paths and fixture
    // paths; tiny CycleGAN runs, folders and model files. Not products.
    .target(name: "TestSupport", dependencies: ["TensorCore"], path: "Tests/TestSupport"),
    .target(name: "TranslationTestSupport", dependencies: ["Translation", "TestSupport"], path: "Tests/TranslationTestSupport"),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"]),
    .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "AutogradTests", dependencies: ["Autograd", "SafeTensors", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "NNTests", dependencies: ["NN"]),
    .testTarget(name: "DistributedTests", dependencies: ["Distributed"]),
    .testTarget(name: "PyTorchFilesTests", dependencies: ["PyTorchFiles", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "SyntheticScenesTests", dependencies: ["SyntheticScenes", "TestSupport"]),
    .testTarget(name: "TranslationTests", dependencies: ["Translation", "SyntheticScenes", "TestSupport", "TranslationTestSupport"],
                exclude: ["Fixtures"]),
    .testTarget(
      name: "ONNXExportTests", dependencies: ["ONNXExport", "ONNXProto", "TestSupport", "TranslationTestSupport"]),
    .testTarget(name: "TrainingReportTests", dependencies: ["TrainingReport", "TranslationTestSupport"]),
    .testTarget(
      name: "TensorBoardEventsTests", dependencies: ["TensorBoardEvents", "TestSupport", "TranslationTestSupport"],
      exclude: ["read_events.py"]),
    .testTarget(name: "TranslateCLITests", dependencies: ["translate", "TestSupport", "TranslationTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
