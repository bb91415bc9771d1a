"""Prints the best row of each benchmark JSON (Swin2SR.Bench throughput, torch_baseline.py) as one table.

Usage: python3 summarize.py RESULT.json... > summary.md
The ratio column is each engine's best images/s over the first file's (the ONNX Runtime engine).
"""
import json
import sys


def best(path):
    document = json.load(open(path))
    rows = [r for r in document["rows"] if not r.get("outOfMemory")]
    if not rows:
        return None
    row = max(rows, key=lambda r: r["imagesPerSecond"])
    # ONNX Runtime runs say their precision (fp32 with TF32, or the fp16 rewrite); torch rows name their engine.
    if document.get("precision"):
        row = dict(row, devices=f"{row['devices']} {document['precision']}")
    return row


def main(paths):
    if not paths:
        sys.exit(__doc__.splitlines()[2])
    results = [(path, best(path)) for path in paths]
    reference = results[0][1]["imagesPerSecond"] if results[0][1] else None
    print("| engine | best batch | tile | images/s | ms/batch | GPU busy | vs first |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path, row in results:
        if row is None:
            print(f"| {path} | out of memory at every batch | | | | | |")
            continue
        busy = f"{row['gpuBusyPercent']:.0f}%" if row.get("gpuBusyPercent") is not None else "-"
        ratio = f"{row['imagesPerSecond'] / reference:.2f}" if reference else "-"
        print(f"| {row['devices']} | {row['batch']} | {row['tile']} | {row['imagesPerSecond']:.2f} | {row['msPerBatch']:.1f} | {busy} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1:])
