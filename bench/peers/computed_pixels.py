"""Pixels each peer feeds the model for a folder: explains throughput gaps that are work, not speed.

Product: per image the tile size (max and its halves, down to 16) that computes the fewest padded-tile pixels
(mirrors src/Swin2SR.Core/Tiling/TileSizeChooser.cs and TileAxis.TilesNeeded). transformers.js: the whole image
padded to a multiple of 8. PyTorch: the official tiling (tile min(T, h, w), stride T - overlap) on the padded image.

Usage: /usr/bin/python3 bench/peers/computed_pixels.py DIR [--tile 128] [--overlap 16]
"""
import argparse
import math
import pathlib

from PIL import Image


def up(v, m):
    return (v + m - 1) // m * m


def tiles_needed(length, tile, overlap, align=8):
    padded = up(length, align)
    stride = max(align, (tile - overlap) // align * align)
    return 1 if padded <= tile else 1 + math.ceil((padded - tile) / stride)


def product(w, h, max_tile, overlap):
    sizes, t = [], max_tile
    while t >= 16:
        sizes.append(t)
        t //= 2
    return min(tiles_needed(w, t, min(overlap, t // 2)) * tiles_needed(h, t, min(overlap, t // 2)) * t * t for t in sizes)


def official(w, h, tile, overlap):
    w, h = up(w, 8), up(h, 8)
    t = min(tile, h, w)
    stride = t - min(overlap, t // 2)
    n = lambda length: len(range(0, length - t, stride)) + 1  # noqa: E731
    return n(w) * n(h) * t * t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder", type=pathlib.Path)
    p.add_argument("--tile", type=int, default=128)
    p.add_argument("--overlap", type=int, default=16)
    a = p.parse_args()
    sizes = [Image.open(f).size for f in sorted(a.folder.iterdir())]
    image = sum(w * h for w, h in sizes)
    rows = {"product": sum(product(w, h, a.tile, a.overlap) for w, h in sizes),
            "transformers.js": sum(up(w, 8) * up(h, 8) for w, h in sizes),
            "pytorch": sum(official(w, h, a.tile, a.overlap) for w, h in sizes)}
    print(f"{a.folder}: {image} image pixels; tile {a.tile}, overlap {a.overlap}")
    for name, px in rows.items():
        print(f"  {name:<16} {px:>8} computed pixels = {px / image:.2f}x the image")


if __name__ == "__main__":
    main()
