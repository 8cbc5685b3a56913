// Images ↔ network tensors, as junyanz's pipeline: ToTensor then Normalize(0.5, 0.5) maps samples to [−1, 1];
// outputs map back with (y + 1)/2 · max, rounded to nearest (junyanz's tensor2im truncates; we round).
// Colour handling: alpha is set aside, gray feeds a 3-channel network as R = G = B, RGB feeds a 1-channel
// network as PIL's convert("L") luma (299R + 587G + 114B)/1000.

@_exported import ImageCodecs

extension Tensor {
  /// image (H, W, C interleaved, 8 or 16 bit) → (1, channels, H, W) in [−1, 1]. Alpha is ignored.
  public init(image: Image, channels: Int) {
    precondition(channels == 1 || channels == 3, "Tensor(image:): networks take 1 or 3 channels, not \(channels)")
    let colour = image.droppingAlpha()
    let (w, h, plane) = (colour.width, colour.height, colour.width * colour.height)
    let scale = 2 / Float(colour.maxSample)
    self.init(shape: [1, channels, h, w]) { out in
      colour.samples.withUnsafeBufferPointer { s in
        let c = colour.channels
        for p in 0..<plane {
          switch (c, channels) {
          case (1, 1): out[p] = Float(s[p]) * scale - 1
          case (1, _): for k in 0..<3 { out[k * plane + p] = Float(s[p]) * scale - 1 }
          case (_, 1):
            let luma = (299 * Float(s[p * 3]) + 587 * Float(s[p * 3 + 1]) + 114 * Float(s[p * 3 + 2])) / 1000
            out[p] = luma * scale - 1
          default: for k in 0..<3 { out[k * plane + p] = Float(s[p * 3 + k]) * scale - 1 }
          }
        }
      }
    }
  }
}

extension Image {
  /// tensor (1, C, H, W) with C = 1 or 3, values in [−1, 1] → an image of `bitDepth` bits, each sample
  /// round((y + 1)/2 · max) clamped to [0, max].
  public init(tensor: Tensor, bitDepth: Int = 8) {
    precondition(
      tensor.rank == 4 && tensor.shape[0] == 1 && [1, 3].contains(tensor.shape[1]),
      "Image(tensor:): expects (1, 1 or 3, H, W), got \(tensor.shape)")
    let (c, h, w) = (tensor.shape[1], tensor.shape[2], tensor.shape[3])
    let maximum = Float(bitDepth == 8 ? 255 : 65535)
    var samples = [UInt16](repeating: 0, count: h * w * c)
    samples.withUnsafeMutableBufferPointer { out in
      for k in 0..<c {
        for p in 0..<(h * w) {
          let v = ((tensor.pointer[k * h * w + p] + 1) * 0.5 * maximum).rounded()
          out[p * c + k] = UInt16(Swift.min(Swift.max(v.isNaN ? 0 : v, 0), maximum))
        }
      }
    }
    self.init(width: w, height: h, channels: c, bitDepth: bitDepth, samples: samples)
  }

  /// The same picture with its colour channels replaced by `colour` (same size; 1 or 3 channels) and this
  /// image's alpha kept untouched: how translated output gets its input's alpha back.
  public func replacingColour(with colour: Image) -> Image {
    precondition(colour.width == width && colour.height == height, "replacingColour: size differs")
    guard hasAlpha else { return colour }
    let alpha = converted(toBitDepth: colour.bitDepth)
    let outChannels = colour.channels + 1
    var samples = [UInt16](repeating: 0, count: pixelCount * outChannels)
    for p in 0..<pixelCount {
      for k in 0..<colour.channels { samples[p * outChannels + k] = colour.samples[p * colour.channels + k] }
      samples[p * outChannels + colour.channels] = alpha.samples[p * channels + channels - 1]
    }
    return Image(width: width, height: height, channels: outChannels, bitDepth: colour.bitDepth, samples: samples)
  }
}
