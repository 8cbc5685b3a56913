#!/usr/bin/env python3
"""Reference PSNR and SSIM for Tests/TranslationTests/ImageMetricsTests.swift.

SSIM as scikit-image's structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
data_range=255, channel_axis=-1): Gaussian filter truncated at 3.5 sigma (radius 5), mean over the area
5 pixels inside the border, averaged over channels. Written with numpy/scipy only. The two test images are
defined by closed-form integer formulas so the Swift test rebuilds them exactly."""
import numpy as np
from scipy.ndimage import gaussian_filter

W, H = 24, 20
y, x = np.mgrid[0:H, 0:W]
a = np.stack([(x * 11 + y * 7) % 256, (x * x + 3 * y) % 256, (x * y * 5 + 13) % 256], axis=-1).astype(np.float64)
b = np.stack([(x * 11 + y * 7 + (x % 3) * 9) % 256, (x * x + 3 * y + 20) % 256, (x * y * 5 + 13 + (y % 4) * 6) % 256],
             axis=-1).astype(np.float64)

mse = np.mean((a - b) ** 2)
print("psnr", 10 * np.log10(255 ** 2 / mse))

def ssim_channel(p, q):
    f = lambda z: gaussian_filter(z, sigma=1.5, truncate=3.5, mode="reflect")
    mp, mq = f(p), f(q)
    vp, vq, c = f(p * p) - mp * mp, f(q * q) - mq * mq, f(p * q) - mp * mq
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    s = (2 * mp * mq + c1) * (2 * c + c2) / ((mp ** 2 + mq ** 2 + c1) * (vp + vq + c2))
    return s[5:-5, 5:-5].mean()

print("ssim", np.mean([ssim_channel(a[..., k], b[..., k]) for k in range(3)]))
