// Which network a model file holds, for `translate --model FILE`: a CycleGAN model or plain generator
// state_dict (TranslationModel), or a fast style network (StyleNetworkFile).

extension ImageTranslator {
  /// The translator for any model file we can run.
  /// A style network has no GeneratorArchitecture; its Johnson et al. layout (9×9 convs, two stride-2 steps,
  /// residual blocks at 4f, two upsamplings) costs about what a ResNet generator with the same base width and
  /// blocks costs, so that stands in for memory planning and the size multiple (4, as the network needs).
  public static func load(path: String, direction: Direction, budget: ByteCount = .defaultBudget, tile: Int? = nil) throws
    -> ImageTranslator
  {
    let header = try SafeTensors.read(path, skippingUnsupportedDTypes: true)
    guard StyleNetworkFile.isStyleModel(metadata: header.metadata) else {
      return try ImageTranslator(model: try TranslationModel.load(path), direction: direction, budget: budget, tile: tile)
    }
    let network = try StyleNetworkFile.loadNetwork(path)
    let proxy = GeneratorArchitecture.resnet(inChannels: 3, outChannels: 3, baseFilters: network.baseFilters,
                                             blocks: network.blocks, norm: .instance, dropout: false, padding: .reflect)
    return ImageTranslator(generator: network, architecture: proxy,
                           planner: ForwardPlanner(architecture: proxy, budget: budget, tile: tile))
  }
}
