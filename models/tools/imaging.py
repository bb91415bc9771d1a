"""Image helpers shared by training and evaluation: loading, bicubic resizing, padding.

Low-resolution images are always made the same way, by PIL's antialiased bicubic resize of a uint8
image, so that training inputs look like the bicubic benchmark inputs (Set5 LR_bicubic).
"""
import numpy as np
from PIL import Image


def load_rgb(path):
    """uint8 array [H, W, 3]."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def crop_to_multiple(image, multiple):
    height, width = image.shape[:2]
    return image[: height - height % multiple, : width - width % multiple]


def bicubic_resize(image, width, height):
    """uint8 [H, W, 3] -> uint8 [height, width, 3]; PIL antialiases when shrinking."""
    return np.asarray(Image.fromarray(image).resize((width, height), Image.BICUBIC))


def bicubic_downscale(hr, scale):
    return bicubic_resize(hr, hr.shape[1] // scale, hr.shape[0] // scale)


def bicubic_upscale(lr, scale):
    return bicubic_resize(lr, lr.shape[1] * scale, lr.shape[0] * scale)


def to_nchw_float(image):
    """uint8 [H, W, 3] -> float32 [1, 3, H, W] in [0, 1]."""
    return (image.astype(np.float32) / 255.0).transpose(2, 0, 1)[None]


def to_hwc_uint8(tensor):
    """float [1, 3, H, W] in [0, 1] -> rounded uint8 [H, W, 3], as an image file would store it."""
    return (np.clip(tensor[0].transpose(1, 2, 0), 0.0, 1.0) * 255.0).round().astype(np.uint8)


def pad_to_multiple(x, multiple):
    """Reflect-pad float [B, 3, H, W] at the bottom/right so H and W are multiples (the model contract)."""
    height, width = x.shape[2:]
    pad_h, pad_w = -height % multiple, -width % multiple
    return np.pad(x, ((0, 0), (0, 0), (0, pad_h), (0, pad_w)), mode="reflect")
