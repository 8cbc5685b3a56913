// A sample row laid out as one picture: its tiles side by side with a gap, as the HTML report and TensorBoard
// show it at each checkpoint.

import ImageCodecs

extension SampleRow {
  /// The tiles left to right, `gap` black pixels apart, top-aligned; 8-bit, with the tiles' channels.
  public func grid(gap: Int = 4) -> Image {
    let tiles = tensors.map { Image(tensor: $0) }
    let channels = tiles[0].channels
    let width = tiles.map(\.width).reduce(0, +) + (tiles.count - 1) * gap
    let height = tiles.map(\.height).max() ?? 0
    var grid = Image(width: width, height: height, channels: channels)
    var left = 0
    for t in tiles {
      for y in 0..<t.height { for x in 0..<t.width { for c in 0..<channels { grid[left + x, y, c] = t[x, y, c] } } }
      left += t.width + gap
    }
    return grid
  }
}
