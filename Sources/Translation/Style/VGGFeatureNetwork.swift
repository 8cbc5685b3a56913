// VGG-16/19 features (Simonyan & Zisserman, ICLR 2015) from a safetensors file with torchvision's names
// (`features.0.weight` …), for the losses of Gatys et al. (CVPR 2016) and Johnson et al. (ECCV 2016).
// Inputs in [−1, 1] are mapped to [0, 1] and normalized with ImageNet's mean and std as torchvision expects.
// Deviation: pooling is 2×2 average pooling, not max — Gatys et al. (§2) found it gives better gradients for
// image synthesis, and the engine has no max pooling.

/// The feature layers of a loss, named as in the papers' Caffe models ("relu4_2": block 4, conv 2, after ReLU).
/// Caffe applies ReLU in place, so Gatys' "conv1_1" is torchvision's output after the ReLU: relu1_1.
public enum VGGLayerSet: String, Sendable, CaseIterable {
  /// Gatys et al.: style relu1_1, relu2_1, relu3_1, relu4_1, relu5_1; content relu4_2.
  case gatys
  /// Johnson et al.: style relu1_2, relu2_2, relu3_3, relu4_3; content relu2_2.
  case johnson

  public var styleLayers: [String] {
    switch self {
    case .gatys: ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
    case .johnson: ["relu1_2", "relu2_2", "relu3_3", "relu4_3"]
    }
  }
  public var contentLayer: String { self == .gatys ? "relu4_2" : "relu2_2" }
}

/// torchvision VGG `features` with average pooling. images (N, 3, H, W) in [−1, 1] → the set's maps
/// (block b is at 1/2^(b−1) resolution). Depth (VGG-16 or 19) and widths come from the file.
public struct VGGFeatureNetwork: StyleFeatureNetwork {
  /// One 3×3 convolution: torchvision index, block (1-based) and position in the block (1-based).
  struct Convolution { let index: Int, block: Int, position: Int, weight: Variable, bias: Variable }
  let convolutions: [Convolution]
  public let layers: VGGLayerSet
  /// ImageNet statistics of torchvision's pretrained models.
  static let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]

  /// Reads `path` (a safetensors file holding torchvision's `features.*` tensors; other keys are ignored).
  public init(path: String, layers: VGGLayerSet) throws(StyleError) {
    let tensors: [String: Tensor]
    do { tensors = try SafeTensors.read(path).tensors } catch {
      throw .invalidFeatureWeights(path: path, reason: error.reason)
    }
    try self.init(tensors: tensors, layers: layers, source: path)
  }

  /// From tensors named as torchvision's state_dict; `source` names them in errors.
  public init(tensors: [String: Tensor], layers: VGGLayerSet, source: String) throws(StyleError) {
    let indices = tensors.keys.compactMap { key -> Int? in
      guard key.hasPrefix("features."), key.hasSuffix(".weight") else { return nil }
      return Int(key.dropFirst("features.".count).dropLast(".weight".count))
    }.sorted()
    guard !indices.isEmpty else { throw .invalidFeatureWeights(path: source, reason: "no features.N.weight tensors") }
    if tensors.keys.contains(where: { $0.hasPrefix("features.") && $0.hasSuffix(".running_mean") }) {
      throw .invalidFeatureWeights(path: source, reason: "batch-norm VGG (vgg*_bn) is not supported")
    }
    var convolutions: [Convolution] = []
    var (block, position, inChannels) = (1, 0, 3)
    for (k, index) in indices.enumerated() {
      if k > 0 {
        // torchvision: conv i, ReLU i+1, then conv i+2 in the same block or max-pool i+2 and conv i+3.
        switch index - indices[k - 1] {
        case 2: position += 1
        case 3:
          block += 1
          position = 1
        default:
          throw .invalidFeatureWeights(
            path: source, reason: "features.\(index) does not follow torchvision's VGG layout")
        }
      } else {
        position = 1
      }
      let name = "features.\(index)"
      guard let w = tensors["\(name).weight"], let b = tensors["\(name).bias"] else {
        throw .invalidFeatureWeights(path: source, reason: "\(name).bias is missing")
      }
      guard w.rank == 4, w.shape[1] == inChannels, w.shape[2] == 3, w.shape[3] == 3, b.shape == [w.shape[0]] else {
        throw .invalidFeatureWeights(
          path: source, reason: "\(name).weight is \(w.shape) with bias \(b.shape); expected (out, \(inChannels), 3, 3)"
        )
      }
      convolutions.append(
        Convolution(index: index, block: block, position: position, weight: Variable(w), bias: Variable(b)))
      inChannels = w.shape[0]
    }
    let available = Set(convolutions.map { "relu\($0.block)_\($0.position)" })
    for layer in layers.styleLayers + [layers.contentLayer] where !available.contains(layer) {
      throw .invalidFeatureWeights(
        path: source, reason: "layer \(layer) of the \(layers.rawValue) set is not in the file")
    }
    self.convolutions = convolutions
    self.layers = layers
  }

  public var styleLayerCount: Int { layers.styleLayers.count }
  /// Each block before the deepest one used halves the image (2×2 average pooling), which needs 2 pixels.
  public var minimumImageSide: Int {
    let blocks = (layers.styleLayers + [layers.contentLayer]).compactMap {
      $0.dropFirst(4).split(separator: "_").first.flatMap { Int($0) }
    }
    return 1 << ((blocks.max() ?? 1) - 1)
  }

  public func features(_ images: Variable, content: Bool) -> StyleFeatures {
    precondition(
      images.value.rank == 4 && images.shape[1] == 3, "VGGFeatureNetwork: expects (N, 3, H, W), got \(images.shape)")
    let wanted = Set(layers.styleLayers + (content ? [layers.contentLayer] : []))
    // (x + 1)/2 then (· − mean)/std, per channel: x·0.5/std + (0.5 − mean)/std.
    let scale = Tensor(shape: [3], values: (0..<3).map { 0.5 / Self.std[$0] })
    let shift = Tensor(shape: [3], values: (0..<3).map { (0.5 - Self.mean[$0]) / Self.std[$0] })
    var x = addChannelwise(multiplyChannelwise(images, Variable(scale)), Variable(shift))
    var taps: [String: Variable] = [:]
    var block = 1
    for conv in convolutions where taps.count < wanted.count {
      if conv.block != block {
        x = avgPool2d(x, kernel: 2, stride: 2)
        block = conv.block
      }
      x = relu(conv2d(x, conv.weight, conv.bias, ConvOptions(padding: 1)))
      let name = "relu\(conv.block)_\(conv.position)"
      if wanted.contains(name) { taps[name] = x }
    }
    return StyleFeatures(
      style: layers.styleLayers.map { taps[$0]! }, content: content ? taps[layers.contentLayer] : nil)
  }
}
