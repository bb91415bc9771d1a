"""Whole-image reference for the product's tiling: what PyTorch computes for a whole image in one piece.

The C# tests run the ONNX graph on the same padded image and require it to match this reference (a larger,
non-square input than check_export.py's); they then compare the module's tiled, stitched output with the
graph's whole-image pass. The image is procedural (gradients, soft discs, fine stripes), so no benchmark data
is committed.

    /usr/bin/python3 models/tools/make_whole_image_reference.py

Needs the training checkpoint models/tools/checkpoints/swin2sr-tiny-x2.pt (the ONNX file was exported from it).
"""
import json
import pathlib

import numpy as np
import torch

import export
import imaging

TOOLS = pathlib.Path(__file__).resolve().parent
REFERENCE_DIR = TOOLS / "reference"
SCALE = 2
# Not multiples of the window, so the model's padding and cropping are exercised too.
LR_WIDTH, LR_HEIGHT = 90, 66


def procedural_hr(width, height, seed=3):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.stack([0.3 + 0.5 * x / width, 0.25 + 0.5 * y / height, 0.6 - 0.3 * x / width], axis=-1)
    for _ in range(6):
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(8, 30)
        alpha = 1 / (1 + np.exp(np.minimum((np.hypot(x - cx, y - cy) - r) / 1.2, 50)))
        image = image * (1 - alpha[..., None]) + alpha[..., None] * rng.uniform(0, 1, 3)
    stripes = 0.12 * np.sin(0.9 * x + 0.4 * y)
    image[y > height * 0.7] += stripes[y > height * 0.7][..., None]
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8)


def main():
    model, _ = export.load_checkpoint(TOOLS / "checkpoints" / f"swin2sr-tiny-x{SCALE}.pt")
    hr = procedural_hr(LR_WIDTH * SCALE, LR_HEIGHT * SCALE)
    lr = imaging.bicubic_downscale(hr, SCALE)
    x = imaging.pad_to_multiple(imaging.to_nchw_float(lr), model.config.window_size)
    with torch.no_grad():
        y = model(torch.from_numpy(np.ascontiguousarray(x))).numpy()[:, :, : LR_HEIGHT * SCALE, : LR_WIDTH * SCALE]
    REFERENCE_DIR.mkdir(exist_ok=True)
    stem = REFERENCE_DIR / f"whole-x{SCALE}"
    from PIL import Image
    Image.fromarray(lr).save(f"{stem}-input.png")
    Image.fromarray(hr).save(f"{stem}-hr.png")
    with open(f"{stem}-output.bin", "wb") as f:
        f.write(np.ascontiguousarray(y).astype("<f4").tobytes())
    description = {"model": f"swin2sr-tiny-x{SCALE}.onnx", "input": f"{stem.name}-input.png", "hr": f"{stem.name}-hr.png",
                   "output": f"{stem.name}-output.bin", "layout": "raw little-endian float32, NCHW, unclamped",
                   "output_shape": list(y.shape)}
    pathlib.Path(f"{stem}.json").write_text(json.dumps(description, indent=2) + "\n")
    print(f"wrote {stem}-*: LR {lr.shape}, output {y.shape}")


if __name__ == "__main__":
    main()
