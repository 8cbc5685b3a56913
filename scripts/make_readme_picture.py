#!/usr/bin/env python3
"""docs/day-night.png: the bundled model on the paired sample scenes (datasets/samples, seed 99), before and after
its retraining.

    translate --model OLD --direction AtoB datasets/samples/day -o before/night     # OLD: the previous model file
    translate --model OLD --direction BtoA datasets/samples/night -o before/day
    translate --from day --to night datasets/samples/day -o after/night
    translate --from night --to day datasets/samples/night -o after/day
    python3 scripts/make_readme_picture.py after/night after/day before/night before/day docs/day-night.png

Needs Pillow. Columns: day input, night before, night after, the true night; night input, day before, day after,
the true day. With only two folders (after/night after/day OUTPUT) the before columns are left out.
"""
import os
import sys

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "datasets", "samples")
GAP, LABEL = 4, 18


def sheet(columns, names, output):
    size = Image.open(os.path.join(columns[0][1], names[0])).size[0]
    width = len(columns) * size + (len(columns) - 1) * GAP
    height = LABEL + len(names) * size + (len(names) - 1) * GAP
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    for c, (label, folder) in enumerate(columns):
        x = c * (size + GAP)
        draw.text((x + 3, 3), label, fill="black")
        for r, name in enumerate(names):
            canvas.paste(Image.open(os.path.join(folder, name)).convert("RGB"), (x, LABEL + r * (size + GAP)))
    canvas.save(output, optimize=True)


def main():
    args = sys.argv[1:]
    if len(args) not in (3, 5):
        sys.exit(__doc__)
    after_night, after_day, output = args[0], args[1], args[-1]
    before = args[2:4] if len(args) == 5 else None
    day, night = os.path.join(SAMPLES, "day"), os.path.join(SAMPLES, "night")
    columns = [("day (input)", day)]
    columns += [("night (before)", before[0])] if before else []
    columns += [("night (ours)", after_night), ("night (truth)", night), ("night (input)", night)]
    columns += [("day (before)", before[1])] if before else []
    columns += [("day (ours)", after_day), ("day (truth)", day)]
    sheet(columns, sorted(os.listdir(day)), output)


if __name__ == "__main__":
    main()
