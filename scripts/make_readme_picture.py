#!/usr/bin/env python3
"""docs/day-night.png: the bundled model on the paired sample scenes (datasets/samples, seed 99).

    translate --from day --to night datasets/samples/day -o out/night
    translate --from night --to day datasets/samples/night -o out/day
    python3 scripts/make_readme_picture.py out/night out/day docs/day-night.png   # needs Pillow

Columns: day input, our night, the true night, night input, our day, the true day.
"""
import os
import sys

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "datasets", "samples")
GAP, LABEL = 4, 18


def main():
    ours_night, ours_day, output = sys.argv[1:4]
    names = sorted(os.listdir(os.path.join(SAMPLES, "day")))
    columns = [("day (input)", os.path.join(SAMPLES, "day")), ("night (ours)", ours_night),
               ("night (truth)", os.path.join(SAMPLES, "night")), ("night (input)", os.path.join(SAMPLES, "night")),
               ("day (ours)", ours_day), ("day (truth)", os.path.join(SAMPLES, "day"))]
    size = Image.open(os.path.join(SAMPLES, "day", names[0])).size[0]
    width = len(columns) * size + (len(columns) - 1) * GAP
    height = LABEL + len(names) * size + (len(names) - 1) * GAP
    sheet = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sheet)
    for c, (label, folder) in enumerate(columns):
        x = c * (size + GAP)
        draw.text((x + 3, 3), label, fill="black")
        for r, name in enumerate(names):
            sheet.paste(Image.open(os.path.join(folder, name)).convert("RGB"), (x, LABEL + r * (size + GAP)))
    sheet.save(output, optimize=True)


if __name__ == "__main__":
    main()
