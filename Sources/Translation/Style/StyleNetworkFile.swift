// Fast style models on disk: a safetensors file holding the StyleTransformerNetwork's state_dict, with
// metadata `format = translate-style-model`, `version = 1` and the architecture needed to rebuild it.

/// Saving and loading fast style networks (`translate train-style` writes them; `translate --model` runs them).
public enum StyleNetworkFile {
  public static let format = "translate-style-model"
  public static let version = "1"
  /// Inputs are padded to a multiple of this by the loaded layer (two stride-2 stages).
  public static let requiredMultiple = 4
  /// The smallest input side the network accepts (the 9×9 reflect pad needs ≥ 5 pixels; the bottleneck 2).
  public static let minimumSide = 8

  /// True when the safetensors metadata names this format (any version).
  public static func isStyleModel(metadata: [String: String]) -> Bool { metadata["format"] == format }

  /// Writes `network` with the format, version and architecture metadata plus `extra` (style name, size, …).
  public static func save(_ network: StyleTransformerNetwork, to path: String, extra: [String: String] = [:])
    throws(StyleError)
  {
    var metadata = extra
    metadata["format"] = format
    metadata["version"] = version
    metadata["base_filters"] = String(network.baseFilters)
    metadata["blocks"] = String(network.blocks)
    do { try SafeTensors.write(network.stateDict(), metadata: metadata, to: path) } catch {
      throw .cannotWrite(path: path, reason: "\(error)")
    }
  }

  /// The network stored at `path`, without padding (inputs must be multiples of 4). The file is read once and
  /// described by ModelDescription, as every model file is.
  /// - Throws: `StyleError.invalidStyleModel` naming the file and what is wrong.
  public static func loadNetwork(_ path: String) throws(StyleError) -> StyleTransformerNetwork {
    let file: SafeTensorsFile
    do { file = try SafeTensors.read(path) } catch { throw .invalidStyleModel(path: path, reason: error.reason) }
    guard isStyleModel(metadata: file.metadata) else {
      throw .invalidStyleModel(
        path: path, reason: "metadata format is \(file.metadata["format"].map { "\"\($0)\"" } ?? "missing")")
    }
    do { return try TranslationModel(file: file).styleNetwork() } catch {
      throw .invalidStyleModel(path: path, reason: error.reason)
    }
  }

  /// A layer mapping (1, 3, H, W) in [−1, 1] to (1, 3, H, W) in [−1, 1] for any H, W ≥ `minimumSide`: the
  /// network of `path` behind `PaddedToMultiple` (reflect-pads bottom/right to a multiple of 4, crops back).
  public static func load(_ path: String) throws(StyleError) -> any Layer {
    PaddedToMultiple(try loadNetwork(path), multiple: requiredMultiple)
  }
}
