#!/usr/bin/env python3
"""Makes the ImageCodecs test fixtures from independent decoders (pypng, Pillow, numpy).

1. Tests/ImageCodecsTests/Fixtures/pngsuite_reference.tsv: for a PngSuite subset covering every colour type,
   bit depth, Adam7 and tRNS, the decode our library must produce, as "file width height channels bitdepth
   fnv1a64". Decoded by pypng (pure Python, no libpng) with our output conventions applied here: palette ->
   RGB (RGBA when tRNS), tRNS -> alpha, 1/2/4-bit gray scaled to 8-bit (v * 255 / (2^b - 1)), 16-bit kept,
   no gamma or sBIT. The hash is FNV-1a 64 over the samples, row-major interleaved, each as little-endian
   uint16. 8-bit results without tRNS are cross-checked against Pillow.
2. Fixtures/resize_source.png (seeded noise + gradient, RGB 8-bit) and resize_bicubic_WxH.png made by
   Pillow's Image.resize(BICUBIC), which the Swift resize must match within +-1.

Run from the package root:  pip install pillow numpy pypng && python3 scripts/make_codec_fixtures.py
(needs ../shared/corpora/png/pngsuite for part 1).
"""
import os
import sys

import numpy as np
import png  # pypng
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "ImageCodecsTests", "Fixtures")
PNGSUITE = os.path.join(ROOT, "..", "shared", "corpora", "png", "pngsuite")

SUBSET = [
    "basn0g01.png", "basn0g02.png", "basn0g04.png", "basn0g08.png", "basn0g16.png",
    "basn2c08.png", "basn2c16.png", "basn3p01.png", "basn3p02.png", "basn3p04.png", "basn3p08.png",
    "basn4a08.png", "basn4a16.png", "basn6a08.png", "basn6a16.png",
    "basi0g01.png", "basi0g04.png", "basi0g16.png", "basi2c16.png", "basi3p02.png", "basi3p08.png",
    "basi4a16.png", "basi6a08.png", "basi6a16.png",
    "tbbn0g04.png", "tbbn2c16.png", "tbbn3p08.png", "tbrn2c08.png", "tbwn0g16.png", "tm3n3p02.png",
    "tp1n3p08.png", "s01i3p01.png", "s07i3p02.png", "s35i3p04.png", "s39n3p04.png",
    "f99n0g04.png", "z00n2c08.png", "cs3n2c16.png", "g03n0g16.png", "exif2c08.png",
]


def fnv1a64(samples):
    h = 0xCBF29CE484222325
    for b in np.asarray(samples, dtype="<u2").tobytes():
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def reference_decode(path):
    """(width, height, channels, bitdepth, samples HxWxC uint16) with our library's conventions."""
    width, height, rows, info = png.Reader(filename=path).read()
    raw = np.array([list(r) for r in rows], dtype=np.uint32)
    depth = info["bitdepth"]
    if "palette" in info:
        palette = np.array([tuple(e) + ((255,) if len(e) == 3 else ()) for e in info["palette"]], dtype=np.uint32)
        has_alpha = any(len(e) == 4 for e in info["palette"])
        pixels = palette[raw.reshape(height, width)]
        return width, height, (4 if has_alpha else 3), 8, pixels[:, :, : 4 if has_alpha else 3]
    channels = info["planes"]
    pixels = raw.reshape(height, width, channels)
    top = (1 << depth) - 1
    transparent = info.get("transparent")
    if transparent is not None:
        key = np.array(transparent if isinstance(transparent, tuple) else (transparent,), dtype=np.uint32)
        alpha = np.where((pixels == key).all(axis=2), 0, top)[:, :, None]
        pixels = np.concatenate([pixels, alpha], axis=2)
        channels += 1
    if depth < 8:
        pixels = pixels * 255 // top
        depth = 8
    return width, height, channels, depth, pixels


def check_with_pillow(path, channels, pixels):
    im = Image.open(path)
    if im.mode not in ("L", "LA", "RGB", "RGBA") or "transparency" in im.info:
        return
    theirs = np.array(im).reshape(pixels.shape).astype(np.uint32)
    assert (theirs == pixels).all(), f"pypng and Pillow disagree on {path}"


def make_pngsuite_reference():
    if not os.path.isdir(PNGSUITE):
        sys.exit(f"PngSuite not found at {PNGSUITE}")
    lines = ["# file\twidth\theight\tchannels\tbitdepth\tfnv1a64 (made by scripts/make_codec_fixtures.py)"]
    for name in SUBSET:
        path = os.path.join(PNGSUITE, name)
        width, height, channels, depth, pixels = reference_decode(path)
        if depth == 8:
            check_with_pillow(path, channels, pixels)
        lines.append(f"{name}\t{width}\t{height}\t{channels}\t{depth}\t{fnv1a64(pixels.reshape(-1)):016x}")
    with open(os.path.join(FIXTURES, "pngsuite_reference.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")


def make_resize_fixtures():
    rng = np.random.default_rng(20240601)
    h, w = 29, 37
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x + y) * 255 // (w + h - 2)], axis=2)
    noise = rng.integers(-40, 41, size=(h, w, 3))
    source = Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8), "RGB")
    source.save(os.path.join(FIXTURES, "resize_source.png"))
    for size in [(11, 7), (64, 50), (37, 12), (20, 29)]:
        source.resize(size, Image.BICUBIC).save(os.path.join(FIXTURES, f"resize_bicubic_{size[0]}x{size[1]}.png"))


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    make_pngsuite_reference()
    make_resize_fixtures()
    print("fixtures written to", FIXTURES)
