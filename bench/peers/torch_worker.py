"""PyTorch eager peer: the project's Swin2SR architecture with the tiling of the official inference script.

Tiling follows `test()` in mv-lab/swin2sr main_test_swin2sr.py (the same as SwinIR's): tiles of `tile` pixels
(min(tile, h, w)), stride tile - overlap, the last tile flush with the border, outputs summed into E, a count of
contributions into W, result E / W (overlaps averaged). Like the official script the image is first padded at the
bottom/right by mirroring (torch.flip + cat); unlike it, only up to the next window multiple (the official
`(h // 8 + 1) * 8` pads a full extra window when h is already a multiple: mv-lab/swin2sr PR #19, which
transformers.js also fixes), so no peer computes extra rows.

Protocol with peers.py: "RUN <inputDir> <outputDir>" -> JSON {seconds, loadSeconds, images}. The model is built
and its weights loaded inside each timed run, as the other peers load theirs.

Usage: torch_worker.py --checkpoint CKPT.pt | --full-size   [--tile 128] [--overlap 16] [--threads 2]
"""
import argparse
import json
import pathlib
import sys
import time

import numpy as np
import torch
from PIL import Image

TOOLS = pathlib.Path(__file__).resolve().parents[2] / "models" / "tools"
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS.parents[1] / "bench" / "gpu"))
IMAGES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


def load_model(args):
    if args.full_size:
        # Same seed, same construction order as bench/gpu/export_full_size.py: identical random weights.
        from swin2sr import Swin2SR
        from export_full_size import FULL_SIZE_X4
        torch.manual_seed(0)
        return Swin2SR(FULL_SIZE_X4).eval()
    from export import load_checkpoint
    return load_checkpoint(args.checkpoint)[0]


def tiled(model, img, tile, overlap, scale):
    b, c, h, w = img.shape
    tile = min(tile, h, w)
    stride = tile - min(overlap, tile // 2)  # the official script divides by zero when overlap >= a tiny image
    h_idx = list(range(0, h - tile, stride)) + [h - tile]
    w_idx = list(range(0, w - tile, stride)) + [w - tile]
    E = torch.zeros(b, c, h * scale, w * scale)
    W = torch.zeros_like(E)
    for y in h_idx:
        for x in w_idx:
            out = model(img[..., y:y + tile, x:x + tile])
            E[..., y * scale:(y + tile) * scale, x * scale:(x + tile) * scale].add_(out)
            W[..., y * scale:(y + tile) * scale, x * scale:(x + tile) * scale].add_(1)
    return E.div_(W)


def upscale(model, path, out_path, args):
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255
    img = torch.from_numpy(rgb).permute(2, 0, 1)[None]
    window, scale = model.config.window_size, model.config.scale
    h, w = img.shape[2:]
    h_pad, w_pad = (-h) % window, (-w) % window
    img = torch.cat([img, torch.flip(img, [2])], 2)[:, :, :h + h_pad, :]
    img = torch.cat([img, torch.flip(img, [3])], 3)[:, :, :, :w + w_pad]
    out = tiled(model, img, args.tile, args.overlap, scale) if args.tile else model(img)
    out = out[0, :, :h * scale, :w * scale].clamp_(0, 1).mul_(255).round_().byte().permute(1, 2, 0).numpy()
    Image.fromarray(out).save(out_path)


def run(args, input_dir, output_dir):
    output_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    model = load_model(args)
    load_seconds = time.perf_counter() - start
    count = 0
    with torch.inference_mode():
        for path in sorted(p for p in input_dir.iterdir() if p.suffix.lower() in IMAGES):
            upscale(model, path, output_dir / (path.stem + ".png"), args)
            count += 1
    return {"seconds": time.perf_counter() - start, "loadSeconds": load_seconds, "images": count}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint")
    parser.add_argument("--full-size", action="store_true")
    parser.add_argument("--tile", type=int, default=128, help="0: whole image")
    parser.add_argument("--overlap", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "RUN":
            break
        print(json.dumps(run(args, pathlib.Path(parts[1]), pathlib.Path(parts[2]))), flush=True)


if __name__ == "__main__":
    main()
