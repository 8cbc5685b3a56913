// swift-tools-version:6.0
// translate: unpaired image-to-image translation (CycleGAN) and style transfer on the CPU.
// Module chain (one way, see README): CBLAS/CKernels → TensorCore → Autograd → NN → Translation → translate;
// CImageCodecs → ImageCodecs → Translation.
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
    .target(name: "Autograd", dependencies: ["TensorCore"]),
    .target(name: "NN", dependencies: ["Autograd"]),
    .target(name: "ImageCodecs", dependencies: ["CImageCodecs"]),
    .target(name: "Translation", dependencies: ["NN", "ImageCodecs"]),
    .executableTarget(
      name: "translate",
      dependencies: ["Translation", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "NN"], exclude: ["Fixtures"]),
    .testTarget(name: "AutogradTests", dependencies: ["Autograd"]),
    .testTarget(name: "NNTests", dependencies: ["NN"], exclude: ["Fixtures"]),
    .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs"], exclude: ["Fixtures"]),
    .testTarget(name: "TranslationTests", dependencies: ["Translation"], exclude: ["Fixtures"]),
    .testTarget(name: "TranslateCLITests", dependencies: ["translate"]),
  ],
  swiftLanguageModes: [.v6]
)
