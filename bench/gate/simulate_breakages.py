"""What the quality gate misses (docs/quality-gate.md, "What the gate still misses"): each sound output broken the
ways it does not catch (brighter by 10%, hue turned 30 degrees, saturation halved, shifted by 2 output pixels), set
beside perfect cleanups (the input degraded, the sound output of the clean input), with a candidate figure for each.

Usage: /usr/bin/python3 bench/gate/simulate_breakages.py pairs.txt out.json
pairs.txt: one 'input output scale' line per image, the output the product's sound upscale of the input (for
instance from bench/gate/Measure-GateInputs.ps1). Prints, per variant, the range of each figure; out.json holds
every row. The block measures are a numpy re-implementation of src/Swin2SR.Core/Quality (4x4 blocks, regions of
16x16 blocks, BT.601 luma and chroma), not the product's code.
"""
import io
import json
import os
import sys

import numpy as np
from PIL import Image

BLOCK = 4
REGION_BLOCKS = 16
COLOURED = 8


def load(path):
    """RGB in [0,1]; alpha dropped, 16-bit gray kept at 16 bits."""
    image = Image.open(path)
    if image.mode.startswith('I;16') or image.mode == 'I':
        return np.repeat((np.asarray(image).astype(float) / 65535)[..., None], 3, 2)
    return np.asarray(image.convert('RGBA'))[..., :3].astype(float) / 255


def blocks(a, bx, by):
    h, w = a.shape[0] // by, a.shape[1] // bx
    return np.clip(a, 0, 1)[:h * by, :w * bx].reshape(h, by, w, bx, 3).mean((1, 3))


def luma(a):
    return 16 + 65.481 * a[..., 0] + 128.553 * a[..., 1] + 24.966 * a[..., 2]


def chroma(a):
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return -37.797 * r - 74.203 * g + 112.0 * b, 112.0 * r - 93.786 * g - 18.214 * b


def spans(n):
    count = max(1, n // REGION_BLOCKS)
    return [(i * n // count, (i + 1) * n // count - i * n // count) for i in range(count)]


def with_chroma(a, change):
    """Applies change(cb, cr) to the BT.601 chroma, luma kept."""
    y = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    cb, cr = change((a[..., 2] - y) * 0.564, (a[..., 0] - y) * 0.713)
    r, b = y + 1.403 * cr, y + 1.773 * cb
    return np.clip(np.stack([r, (y - 0.299 * r - 0.114 * b) / 0.587, b], -1), 0, 1)


def hue(a, degrees):
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    return with_chroma(a, lambda cb, cr: (c * cb - s * cr, s * cb + c * cr))


def jpeg(a, quality):
    data = io.BytesIO()
    Image.fromarray((a * 255 + 0.5).astype(np.uint8)).save(data, 'JPEG', quality=quality)
    return np.asarray(Image.open(data).convert('RGB')).astype(float) / 255


def variants(i, o, rng):
    yield 'sound', i, o
    yield 'brighter 10%', i, np.clip(o * 1.1, 0, 1)
    yield 'hue 30', i, hue(o, 30)
    yield 'saturation 0.5', i, with_chroma(o, lambda cb, cr: (cb / 2, cr / 2))
    yield 'shift 2', i, np.roll(o, 2, 1)
    yield 'shift 2 diagonal', i, np.roll(np.roll(o, 2, 0), 2, 1)
    for sigma in (25, 50):
        yield f'cleanup noise {sigma}', np.clip(i + rng.normal(0, sigma / 255, i.shape), 0, 1), o
    for quality in (10, 5):
        yield f'cleanup jpeg {quality}', jpeg(i, quality), o


def region_figures(ci, co):
    """Worst region PSNR, least chroma retention, chroma-weighted mean hue turn (degrees) over coloured regions."""
    worst, retentions, turn, weight = np.inf, [], 0.0, 0.0
    for ys, yh in spans(ci.shape[0]):
        for xs, xw in spans(ci.shape[1]):
            a, b = ci[ys:ys + yh, xs:xs + xw], co[ys:ys + yh, xs:xs + xw]
            mse = (((a - b) * 255) ** 2).mean()
            worst = min(worst, 10 * np.log10(255 ** 2 / mse) if mse > 0 else np.inf)
            icb, icr = (v.mean() for v in chroma(a))
            ocb, ocr = (v.mean() for v in chroma(b))
            length = np.hypot(icb, icr)
            if length >= COLOURED:
                retentions.append((icb * ocb + icr * ocr) / length ** 2)
                turn += length * np.degrees(np.arctan2(icb * ocr - icr * ocb, icb * ocb + icr * ocr))
                weight += length
    return worst, min(retentions, default=np.nan), turn / weight if weight else np.nan


def shift_estimate(i, o, scale):
    """
    The output's offset from its input, in input pixels, along x and y: the output area-shrunk to the input's grid,
    the luma MSE at whole offsets -2..2, and a parabola through the least and its neighbours. 0 when no offset fits
    clearly (2%) better than none.
    """
    if min(i.shape[:2]) < 12:
        return np.nan, np.nan
    shrunk = blocks(o, scale, scale)
    yi, yo = luma(i[:shrunk.shape[0], :shrunk.shape[1]]), luma(shrunk)
    estimate = []
    for axis in (1, 0):
        mse = np.array([((yi - np.roll(yo, d, axis))[3:-3, 3:-3] ** 2).mean() for d in range(-2, 3)])
        k = int(np.argmin(mse))
        if mse[k] >= 0.98 * mse[2]:
            k = 2
        if k in (0, 4):
            estimate.append(float(k - 2))
            continue
        curvature = mse[k - 1] - 2 * mse[k] + mse[k + 1]
        estimate.append(k - 2 + ((mse[k - 1] - mse[k + 1]) / (2 * curvature) if curvature > 1e-6 * max(mse[k], 1) else 0.0))
    return tuple(estimate)


def figures(i, o, scale):
    bx, by = min(BLOCK, i.shape[1]), min(BLOCK, i.shape[0])
    ci, co = blocks(i, bx, by), blocks(o, bx * scale, by * scale)
    psnr, retention, turn = region_figures(ci, co)
    mean_ratio = (luma(co).mean() - 16) / max(1e-9, luma(ci).mean() - 16)
    sx, sy = shift_estimate(i, o, scale)
    return dict(psnr=psnr, retention=retention, hue_turn=turn, mean_ratio=mean_ratio, shift=np.nanmax([abs(sx), abs(sy), 0]))


def main(pairs, out):
    rng = np.random.default_rng(0)
    rows = []
    for line in open(pairs):
        source, output, scale = line.split()
        scale = int(scale)
        i = load(source)
        o = load(output)[:i.shape[0] * scale, :i.shape[1] * scale]
        for name, vi, vo in variants(i, o, rng):
            rows.append(dict(image=os.path.basename(source), scale=scale, variant=name, **figures(vi, vo, scale)))
    json.dump(rows, open(out, 'w'), default=float, indent=0)
    for name in dict.fromkeys(r['variant'] for r in rows):
        chosen = [r for r in rows if r['variant'] == name]
        line = [f'{name:18s} {len(chosen):3d}']
        for key in ('psnr', 'mean_ratio', 'retention', 'hue_turn', 'shift'):
            values = np.array([r[key] for r in chosen], float)
            values = values[np.isfinite(values)]
            if key == 'hue_turn':
                values = np.abs(values)
            line.append(f'{key} {values.min():.3g}..{values.max():.3g}' if values.size else f'{key} -')
        print(' | '.join(line))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
