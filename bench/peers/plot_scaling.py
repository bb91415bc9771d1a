"""Draws images/s against batch size, one line per tile size, from Measure-Scaling.ps1's CSV (median of repeats).

Usage: /usr/bin/python3 bench/peers/plot_scaling.py scaling.csv docs/peers/scaling.png ["subtitle"]
"""
import csv
import statistics
import sys
from collections import defaultdict

import matplotlib
matplotlib.use("Agg")  # no display on build machines
import matplotlib.pyplot as plt


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.splitlines()[-1])
    runs = defaultdict(list)
    with open(sys.argv[1], newline="") as f:
        for row in csv.DictReader(f):
            runs[(int(row["TileSize"]), int(row["BatchSize"]))].append(float(row["ImagesPerSecond"]))
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    for tile in sorted({t for t, _ in runs}):
        batches = sorted(b for t, b in runs if t == tile)
        medians = [statistics.median(runs[(tile, b)]) for b in batches]
        lows = [min(runs[(tile, b)]) for b in batches]
        highs = [max(runs[(tile, b)]) for b in batches]
        line, = ax.plot(batches, medians, marker="o", label=f"tile {tile}")
        ax.fill_between(batches, lows, highs, color=line.get_color(), alpha=0.15)  # spread over repeats
        print(f"tile {tile}: " + ", ".join(f"batch {b} {m:.3f}" for b, m in zip(batches, medians)))
    ax.set_xscale("log", base=2)
    ax.set_xticks([1, 2, 4, 8], labels=["1", "2", "4", "8"])
    ax.set_xlabel("-BatchSize (tiles per inference call)")
    ax.set_ylabel("images/s (median; band: min-max)")
    ax.set_ylim(bottom=0)
    title = "Invoke-Swin2SRUpscale, swin2sr-tiny-x4, CPU"
    ax.set_title(title + ("\n" + sys.argv[3] if len(sys.argv) > 3 else ""), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2])
    print(f"wrote {sys.argv[2]}")


if __name__ == "__main__":
    main()
