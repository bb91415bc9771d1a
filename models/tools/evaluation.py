"""Set5 PSNR evaluation shared by training (torch model) and the export check (ONNX model).

Standard protocol: PSNR on the Y channel (ITU-R BT.601, 16-235) after cropping `scale` pixels from each
border; the SR output of LR_bicubic/X{s} is compared with HR cropped to a multiple of the scale. Bicubic
upscaling of the same LR image is scored alongside as the baseline.
"""
import pathlib

import numpy as np

import imaging

DEFAULT_DATA_DIR = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"


def y_channel(image):
    """uint8 RGB [H, W, 3] -> BT.601 luma in [16, 235] as float64."""
    rgb = image.astype(np.float64) / 255.0
    return 16.0 + rgb @ np.array([65.481, 128.553, 24.966])


def psnr_y(sr, hr, scale):
    diff = (y_channel(sr) - y_channel(hr))[scale:-scale, scale:-scale]
    return 10.0 * np.log10(255.0 ** 2 / np.mean(diff ** 2))


def load_set5(scale, data_dir=DEFAULT_DATA_DIR):
    """[(name, lr uint8, hr uint8 cropped to a multiple of scale)]."""
    set5 = pathlib.Path(data_dir) / "Set5"
    pairs = []
    for hr_path in sorted((set5 / "HR").glob("*.png")):
        lr = imaging.load_rgb(set5 / "LR_bicubic" / f"X{scale}" / f"{hr_path.stem}x{scale}.png")
        hr = imaging.crop_to_multiple(imaging.load_rgb(hr_path), scale)
        pairs.append((hr_path.stem, lr, hr))
    if not pairs:
        raise FileNotFoundError(f"no Set5 images under {set5}")
    return pairs


def model_inputs(pairs, window_size):
    """The LR images as float32 [1, 3, h, w], reflect-padded to multiples of the window (model contract)."""
    return [imaging.pad_to_multiple(imaging.to_nchw_float(lr), window_size) for _, lr, _ in pairs]


def score(outputs, pairs, scale):
    """PSNR of the model outputs (for model_inputs(pairs)) and of bicubic, against HR.

    Returns {'model': mean dB, 'bicubic': mean dB, 'per_image': {name: (model dB, bicubic dB)}}.
    """
    per_image = {}
    for output, (name, lr, hr) in zip(outputs, pairs):
        sr = imaging.to_hwc_uint8(output[:, :, : hr.shape[0], : hr.shape[1]])  # drop the padding
        per_image[name] = (psnr_y(sr, hr, scale), psnr_y(imaging.bicubic_upscale(lr, scale), hr, scale))
    scores = np.array(list(per_image.values()))
    return {"model": float(scores[:, 0].mean()), "bicubic": float(scores[:, 1].mean()), "per_image": per_image}


def evaluate(upscale_batch, pairs, scale, window_size):
    """score() of upscale_batch (float32 [1,3,h,w] -> [1,3,sh,sw]) run on every padded LR image."""
    return score([upscale_batch(x) for x in model_inputs(pairs, window_size)], pairs, scale)
