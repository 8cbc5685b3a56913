// Reading files written by PyTorch's safetensors (scripts/make_fixtures.py): F16, BF16 and I64 conversions, an
// unsupported dtype, and every committed PyTorch fixture with the tensor names its contract promises.

import TestSupport
import Testing

@testable import SafeTensors

@Suite struct SafeTensorsFixtureTests {
  @Test func halfAndBFloat16ConvertExactlyAsPyTorchDoes() throws {
    let file = try SafeTensors.read(fixturePath("SafeTensorsTests", "dtypes.safetensors"))
    #expect(file.info("f16")?.dtype == "F16" && file.info("bf16")?.dtype == "BF16")
    let f16 = try file.tensor("f16")
    let f16Reference = try file.tensor("f16_as_f32")
    #expect(f16.shape == [4, 8])
    #expect(f16 == f16Reference)  // bitwise: subnormals, ±0, 65504, ±inf
    let bf16 = try file.tensor("bf16")
    let bf16Reference = try file.tensor("bf16_as_f32")
    #expect(bf16.shape == [2, 2, 8])
    #expect(bf16 == bf16Reference)
    #expect(try file.tensor("nan_f16").scalars.allSatisfy(\.isNaN))
    #expect(f16.scalars.contains(-0.0) && f16.scalars.contains(.infinity) && f16.scalars.contains(65504))
  }

  @Test func int64TensorsReadAsFloatAndExactly() throws {
    let file = try SafeTensors.read(fixturePath("SafeTensorsTests", "dtypes.safetensors"))
    let tracked = try file.tensor("num_batches_tracked")
    #expect(tracked.shape == [] && tracked.scalars == [42])
    #expect(try file.int64s("num_batches_tracked") == [42])
    let exact: [Int64] = [0, -1, 16_777_216, -(1 << 40), 1 << 62, 7]
    #expect(try file.int64s("i64") == exact)
    #expect(try file.tensor("i64").scalars == exact.map { Float($0) })
    #expect(try file.tensor("i64").shape == [2, 3])
  }

  @Test func pythonFileKeepsMetadataEmptyTensorsAndOffsetOrder() throws {
    let file = try SafeTensors.read(fixturePath("SafeTensorsTests", "dtypes.safetensors"))
    #expect(file.metadata["format"] == "translate-fixture-v1")
    #expect(try file.tensor("empty").shape == [0, 3])
    let offsets = file.names.compactMap { file.info($0)?.dataOffsets.lowerBound }
    #expect(offsets == offsets.sorted() && offsets.count == file.names.count)
    #expect(file.tensors.count == 9)
  }

  @Test func unsupportedDTypeFromPyTorchIsNamedOrSkipped() throws {
    let path = fixturePath("SafeTensorsTests", "unsupported_u8.safetensors")
    #expect(throws: SafeTensorsError.unsupportedDType(path: path, tensor: "mask", dtype: "U8")) {
      try SafeTensors.read(path)
    }
    let file = try SafeTensors.read(path, skippingUnsupportedDTypes: true)
    #expect(file.names == ["weight"] && file.skippedNames == ["mask"])
    #expect(try file.tensor("weight").shape == [2, 2])
  }

  /// The contract of scripts/make_fixtures.py: each file parses and holds the promised names and shapes.
  @Test(arguments: [
    (
      "AutogradTests", "conv2d_k3s2p1.safetensors",
      ["x", "weight", "bias", "y", "grad_y", "grad_x", "grad_weight", "grad_bias"]
    ),
    (
      "AutogradTests", "conv2d_k7s1p0.safetensors",
      ["x", "weight", "bias", "y", "grad_y", "grad_x", "grad_weight", "grad_bias"]
    ),
    (
      "AutogradTests", "conv2d_k4s2p1.safetensors",
      ["x", "weight", "bias", "y", "grad_y", "grad_x", "grad_weight", "grad_bias"]
    ),
    ("AutogradTests", "conv2d_k3s1p2d2.safetensors", ["x", "weight", "y", "grad_y", "grad_x", "grad_weight"]),
    (
      "AutogradTests", "conv_transpose2d_k3s2p1op1.safetensors",
      ["x", "weight", "bias", "y", "grad_y", "grad_x", "grad_weight", "grad_bias"]
    ),
    (
      "AutogradTests", "instance_norm_affine.safetensors",
      ["x", "weight", "bias", "y", "grad_y", "grad_x", "grad_weight", "grad_bias"]
    ),
    ("AutogradTests", "instance_norm_plain.safetensors", ["x", "y", "grad_y", "grad_x"]),
    ("AutogradTests", "reflection_pad.safetensors", ["x", "y", "grad_y", "grad_x"]),
    (
      "AutogradTests", "batch_norm_train.safetensors",
      [
        "x", "weight", "bias", "running_mean", "running_var", "y", "running_mean_after", "running_var_after", "grad_y",
        "grad_x", "grad_weight", "grad_bias",
      ]
    ),
    (
      "AutogradTests", "chain.safetensors",
      [
        "x", "conv.weight", "conv.bias", "convt.weight", "convt.bias", "y", "grad_y", "grad_x", "grad_conv.weight",
        "grad_conv.bias", "grad_convt.weight", "grad_convt.bias",
      ]
    ),
    (
      "TranslationTests", "resnet6_ngf4.safetensors",
      ["input", "output", "model.1.weight", "model.10.conv_block.5.weight", "model.23.bias"]
    ),
    (
      "TranslationTests", "resnet9_ngf4_dropout.safetensors",
      ["input", "output", "model.18.conv_block.6.weight", "model.26.weight"]
    ),
    (
      "TranslationTests", "unet128_ngf2_nc1.safetensors",
      ["input", "output", "model.model.0.weight", "model.model.3.bias"]
    ),
    ("TranslationTests", "patchgan_ndf8.safetensors", ["input", "output", "model.0.weight", "model.11.bias"]),
  ])
  func pyTorchFixtureHoldsItsContractNames(target: String, file name: String, tensors: [String]) throws {
    let file = try SafeTensors.read(fixturePath(target, name))
    for tensor in tensors { #expect(file.names.contains(tensor), "\(name) lacks \(tensor)") }
    for tensor in tensors where tensor.hasPrefix("grad_") && tensor != "grad_y" {
      #expect(file.info(tensor)?.shape == file.info(String(tensor.dropFirst(5)))?.shape, "\(name): \(tensor)")
    }
    #expect(file.names.allSatisfy { file.info($0)?.dtype == "F32" })
    #expect(file.metadata["format"] == "translate-fixture-v1")
  }
}
