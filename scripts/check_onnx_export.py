#!/usr/bin/env python3
"""Runs an exported generator with onnxruntime and compares it with translate's own output (issue 13).

    python3 scripts/check_onnx_export.py MODEL.onnx CASES.safetensors [--tolerance 1e-4]

CASES.safetensors holds pairs `input_<k>` (N, C, H, W) and `expected_<k>` (translate's output for that input),
float32; the Swift test ONNXRuntimeTests writes them next to the model (one pair per image size, so the dynamic
height and width are exercised). Prints max |Δ| per pair; exits 1 if any exceeds the tolerance, 2 when
onnxruntime is missing. Needs only onnxruntime and numpy (pip install onnxruntime), not torch or safetensors.
"""

import argparse
import json
import struct
import sys

import numpy as np

try:
    import onnxruntime
except ImportError:
    sys.exit(2)


def read_safetensors(path):
    """The F32 tensors of a safetensors file (8-byte little-endian header length, JSON header, data)."""
    with open(path, "rb") as f:
        blob = f.read()
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + length])
    data = blob[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return tensors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("cases")
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    tensors = read_safetensors(args.cases)
    keys = sorted(k[len("input_"):] for k in tensors if k.startswith("input_"))
    if not keys:
        sys.exit(f"{args.cases}: no input_<k> tensors")
    worst = 0.0
    for k in keys:
        x, expected = tensors["input_" + k], tensors["expected_" + k]
        (y,) = session.run(["output"], {"input": x})
        if y.shape != expected.shape:
            sys.exit(f"case {k}: onnxruntime output {y.shape}, translate {expected.shape}")
        d = float(np.max(np.abs(y - expected)))
        worst = max(worst, d)
        print(f"{args.model} case {k} {tuple(x.shape)}: max |Δ| = {d:.3g}")
    sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == "__main__":
    main()
