#!/usr/bin/env python3
"""docs/day-night-photos.jpg: real photos (docs/photos, ~500 px) through the bundled day → night generator,
before and after its retraining.

    translate --model OLD --direction AtoB docs/photos -o before --format png     # OLD: the previous model file
    translate --from day --to night docs/photos -o after --format png
    python3 scripts/make_photos_picture.py before after docs/day-night-photos.jpg

Needs Pillow. One row per photo: the photo, the previous model's night, the retrained model's night.
"""
import os
import sys

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHOTOS = os.path.join(ROOT, "docs", "photos")
GAP, LABEL = 4, 18


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    before, after, output = sys.argv[1:4]
    names = sorted(os.path.splitext(n)[0] for n in os.listdir(PHOTOS) if n.endswith(".jpg"))
    rows = [[Image.open(os.path.join(PHOTOS, n + ".jpg")).convert("RGB"),
             Image.open(os.path.join(before, n + ".png")).convert("RGB"),
             Image.open(os.path.join(after, n + ".png")).convert("RGB")] for n in names]
    width = sum(image.size[0] for image in rows[0]) + 2 * GAP
    height = LABEL + sum(row[0].size[1] for row in rows) + (len(rows) - 1) * GAP
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    x = 0
    for c, label in enumerate(["photo (input)", "night (before)", "night (ours, retrained)"]):
        draw.text((x + 3, 3), label, fill="black")
        y = LABEL
        for row in rows:
            canvas.paste(row[c], (x, y))
            y += row[c].size[1] + GAP
        x += rows[0][c].size[0] + GAP
    canvas.save(output, optimize=True)


if __name__ == "__main__":
    main()
