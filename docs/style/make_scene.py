# Renders the README's content image: a procedural "photo" of a lake below mountains at dusk (numpy + Pillow,
# seeded, no external data). Usage: python3 make_scene.py scene.png [seed]  (seed 7: the README image)
import sys
import numpy as np
from PIL import Image, ImageFilter

W, H = 512, 344
rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
y, x = np.mgrid[0:H, 0:W] / np.array([H, W]).reshape(2, 1, 1)

def fractal(n, octaves=6):
    """1-D fractal noise of length n in about [-1, 1]."""
    out = np.zeros(n)
    for o in range(octaves):
        k = 2 ** (o + 2)
        out += np.interp(np.linspace(0, k, n), np.arange(k + 1), rng.uniform(-1, 1, k + 1)) / 2 ** o
    return out / 2

horizon = 0.62
sky = np.stack([0.95 - 0.55 * y, 0.62 - 0.35 * y, 0.45 + 0.25 * y], -1) * np.clip(1.2 - y, 0, 1)[..., None] * 1.1
sun = np.exp(-(((x - 0.7) * 1.5) ** 2 + (y - 0.22) ** 2) / 0.003)
img = sky + sun[..., None] * np.array([1.0, 0.8, 0.5])
for depth, (height, colour) in enumerate([(0.30, (0.42, 0.38, 0.52)), (0.42, (0.25, 0.27, 0.35)), (0.52, (0.12, 0.17, 0.16))]):
    ridge = height + 0.12 * fractal(W) + 0.02 * depth
    mask = (y > ridge[None, :]) & (y < horizon)
    shade = 1 - 0.5 * (y - ridge[None, :]) + 0.08 * rng.standard_normal((H, W))
    img[mask] = (np.array(colour)[None, None, :] * shade[..., None])[mask]
# trees on the near shore
for tx in rng.uniform(0, 1, 40):
    top, width = horizon - rng.uniform(0.05, 0.16), rng.uniform(0.008, 0.02)
    tree = (np.abs(x - tx) < width * (y - top) / (horizon - top) * 2) & (y > top) & (y < horizon)
    img[tree] = np.array([0.05, 0.10, 0.06]) * (0.8 + 0.4 * rng.random())
# the lake mirrors the upper part, darker, with ripples
rows = np.arange(H)
lake = rows >= int(horizon * H)
src = np.clip(2 * int(horizon * H) - rows[lake], 0, H - 1)
ripple = (3 * np.sin(rows[lake][:, None] * 0.9 + x[lake] * 40)).astype(int)
cols = np.clip(np.arange(W)[None, :] + ripple, 0, W - 1)
img[lake] = img[src[:, None], cols] * 0.7 + np.array([0.0, 0.03, 0.06])
img = np.clip(img + 0.015 * rng.standard_normal(img.shape), 0, 1)
out = Image.fromarray((img * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
out.save(sys.argv[1] if len(sys.argv) > 1 else "scene.png")
