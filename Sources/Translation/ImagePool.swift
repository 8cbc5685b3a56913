// The image buffer of Shrivastava et al. 2017 as junyanz's ImagePool: the discriminators see a mix of the
// newest fakes and up to `capacity` earlier ones, which damps oscillation.

/// Stores up to `capacity` generated images (each (1, C, H, W)). Its state is part of a checkpoint.
public struct ImagePool {
  public let capacity: Int
  public private(set) var images: [Tensor] = []
  public var rng: SeededGenerator

  public init(capacity: Int = 50, seed: UInt64) {
    self.capacity = capacity
    rng = SeededGenerator(seed: seed)
  }

  /// Restores a saved pool.
  public init(capacity: Int, images: [Tensor], rng: SeededGenerator) {
    precondition(images.count <= capacity, "ImagePool: \(images.count) images for capacity \(capacity)")
    self.capacity = capacity
    self.images = images
    self.rng = rng
  }

  /// fakes: (N, C, H, W) → (N, C, H, W). Until the pool is full every fake is stored and returned; then each
  /// fake has a 50% chance to be returned as is, else it replaces a random stored image, which is returned.
  public mutating func query(_ fakes: Tensor) -> Tensor {
    guard capacity > 0 else { return fakes }
    var out: [Tensor] = []
    for image in fakes.unstacked() {
      if images.count < capacity {
        images.append(image)
        out.append(image)
      } else if rng.nextUnitFloat() > 0.5 {
        let slot = Int(rng.next() % UInt64(capacity))
        // A stored image of another shape (a checkpoint resumed at another crop size) cannot join this batch;
        // the draws are the same either way, so runs that match resume bit for bit.
        out.append(images[slot].shape == image.shape ? images[slot] : image)
        images[slot] = image
      } else {
        out.append(image)
      }
    }
    return Tensor(stacking: out)
  }
}
