"""Write mutated image files for an end-to-end run of Invoke-Swin2SRUpscale (docs/fuzzing.md, "End to end").

The xunit fuzzer stops at the decoder; this feeds the whole cmdlet (job store, tiling, the model, the quality gate,
metadata copied to the outputs, the encoders) with small PNG, JPEG, TIFF, BMP, WebP and GIF files carrying EXIF
and an ICC profile, each with 1-8 bytes overwritten, most in the first kilobyte where headers and metadata live.

Usage (Debian's python3-pil and python3-numpy):
    /usr/bin/python3 bench/fuzz/make_mutated_inputs.py <folder> [per-format count, default 500] [seed, default 6]
"""
import io
import pathlib
import random
import sys

import numpy as np
from PIL import Image, ImageCms

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "TIFF": "tif", "BMP": "bmp", "WEBP": "webp", "GIF": "gif"}


def seeds(rng):
    base = Image.fromarray(rng.integers(0, 255, (24, 32, 3), dtype=np.uint8))
    exif = base.getexif()
    exif[0x0112] = 6  # orientation
    exif[0x013B] = "artist"
    exif[0x010E] = "desc" * 10
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    with_metadata = dict(exif=exif.tobytes(), icc_profile=icc)
    options = {"PNG": with_metadata, "JPEG": dict(with_metadata, quality=90),
               "TIFF": dict(with_metadata, compression="tiff_lzw"), "BMP": {}, "WEBP": with_metadata, "GIF": {}}
    for fmt, kwargs in options.items():
        data = io.BytesIO()
        (base.convert("P") if fmt == "GIF" else base).save(data, fmt, **kwargs)
        yield fmt, data.getvalue()


def main():
    folder = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    folder.mkdir(parents=True, exist_ok=True)
    rng, mutate = np.random.default_rng(seed), random.Random(seed)
    for fmt, data in seeds(rng):
        for i in range(count):
            mutated = bytearray(data)
            for _ in range(mutate.randint(1, 8)):
                at = mutate.randrange(min(len(mutated), 1024)) if mutate.random() < 0.7 else mutate.randrange(len(mutated))
                mutated[at] = mutate.choice([0, 0xFF, 0x7F, 0x80, mutate.randrange(256)])
            (folder / f"{fmt.lower()}-{i:03d}.{EXTENSIONS[fmt]}").write_bytes(bytes(mutated))


if __name__ == "__main__":
    main()
