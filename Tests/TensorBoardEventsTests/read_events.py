# Reads a TensorBoard log folder with the tensorboard package's own readers and prints what it holds as JSON:
# every record of every event file through its CRC-checking record reader (a bad CRC raises), then the
# EventAccumulator's scalars and images. Used by TensorBoardEventsTests; needs `pip install tensorboard`.
import glob
import json
import os
import sys

from tensorboard.backend.event_processing.event_accumulator import IMAGES, SCALARS, EventAccumulator
from tensorboard.compat.tensorflow_stub import errors, pywrap_tensorflow

folder = sys.argv[1]
records = 0
for path in sorted(glob.glob(os.path.join(folder, "*tfevents*"))):
    reader = pywrap_tensorflow.PyRecordReader_New(path)
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            break
        records += 1

accumulator = EventAccumulator(folder, size_guidance={SCALARS: 0, IMAGES: 0})
accumulator.Reload()
tags = accumulator.Tags()
print(json.dumps({
    "records": records,
    "scalars": {t: [[e.step, e.value] for e in accumulator.Scalars(t)] for t in tags["scalars"]},
    "images": {
        t: [[e.step, e.width, e.height, e.encoded_image_string[:8].hex()] for e in accumulator.Images(t)]
        for t in tags["images"]
    },
}))
