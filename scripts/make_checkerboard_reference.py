#!/usr/bin/env python3
"""Reference checkerboard index for Tests/TranslationTests/CheckerboardTests.swift, with numpy's FFT.

Rec. 601 luminance in [0, 1] of the top-left part cropped to multiples of 4, mean removed; power spectrum
|fft2|²; at each (H/4·i, W/4·j), i, j ∈ 0..3 not both 0, power / median of the 7×7 neighbourhood without its
centre (indices wrap); the geometric mean of the 15 ratios. The test image is a closed-form integer formula
(with a faint 4-periodic pattern) so the Swift test rebuilds it exactly."""
import numpy as np

W, H = 22, 19  # cropped to 20 × 16
y, x = np.mgrid[0:H, 0:W]
tile = (x % 4) * 3 + (y % 4) * 5
rgb = np.stack([(x * 11 + y * 7 + tile) % 256, (x * x + 3 * y) % 256, (x * y * 5 + 13 + tile) % 256], axis=-1)


def checkerboard_index(rgb):
    h, w = rgb.shape[0] // 4 * 4, rgb.shape[1] // 4 * 4
    lum = (rgb[:h, :w].astype(np.float64) / 255) @ np.array([0.299, 0.587, 0.114])
    lum -= lum.mean()
    power = np.abs(np.fft.fft2(lum)) ** 2
    floor = 1e-12 * np.sum(lum ** 2) + np.finfo(np.float64).tiny
    logs = []
    for i in range(4):
        for j in range(4):
            if i == 0 and j == 0:
                continue
            u, v = h // 4 * i, w // 4 * j
            around = [power[(u + du) % h, (v + dv) % w] for du in range(-3, 4) for dv in range(-3, 4) if du or dv]
            logs.append(np.log((power[u, v] + floor) / (np.median(around) + floor)))
    return float(np.exp(np.mean(logs)))


print(repr(checkerboard_index(rgb)))
