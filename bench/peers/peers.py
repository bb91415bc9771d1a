"""Runs the product and its peers on one model and one folder of images, interleaved, and checks their outputs agree.

Each peer is one long-lived worker process (started once, so process start-up is excluded for all alike); every
timed run loads the model and then decodes, upscales and writes every image as PNG (so model load is included
for all alike). One untimed warm-up run per worker on the smallest image (JIT, first allocations), then --rounds
rounds in the order A, B, C, A, B, C... so that noise from other load on the machine falls on every peer.
Agreement: PSNR (RGB, 8-bit) of each peer's last outputs against the product's (first tile size), over the whole
image and inside a border of 4 input pixels: there the product gives the model the image's edge repeated around it,
and the peers pad with zeros (top, left) and mirror (bottom, right), so the outputs differ by design.

Usage: peers.py --input DIR --onnx MODEL.onnx (--checkpoint CKPT.pt | --full-size) --module out/Swin2SR.PowerShell
                --work DIR --label NAME [--rounds 2] [--product-tiles 128,256] [--tile 128 --overlap 16 --batch 4]
                [--tjs-threads ",1"] [--no-torch] [--min-consistency 0]
"""
import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
IMAGES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


def transformers_js_model(onnx, root, name, scale):
    """A local model folder as transformers.js expects one: config + preprocessor config + onnx/model.onnx."""
    folder = root / name
    (folder / "onnx").mkdir(parents=True, exist_ok=True)
    # model_type selects Swin2SRForImageSuperResolution (image-to-image) and Swin2SRImageProcessor.
    (folder / "config.json").write_text(json.dumps({
        "model_type": "swin2sr", "architectures": ["Swin2SRForImageSuperResolution"], "upscale": scale,
        "window_size": 8, "img_range": 1.0, "upsampler": "pixelshuffle", "num_channels": 3}, indent=2))
    # Inputs scaled to [0, 1] (the ONNX contract), no normalisation, mirrored padding to a multiple of 8.
    (folder / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "Swin2SRImageProcessor", "do_rescale": True, "rescale_factor": 1 / 255,
        "do_normalize": False, "do_pad": True, "pad_size": 8, "do_convert_rgb": True}, indent=2))
    target = folder / "onnx" / "model.onnx"
    target.unlink(missing_ok=True)
    target.symlink_to(pathlib.Path(onnx).resolve())
    return folder


class Worker:
    def __init__(self, name, command):
        self.name = name
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE)

    def run(self, input_dir, output_dir):
        self.process.stdin.write(f"RUN {input_dir} {output_dir}\n")
        self.process.stdin.flush()
        while True:  # skip anything a worker prints besides its answer (the cmdlet names its job on the host)
            line = self.process.stdout.readline()
            if not line:
                sys.exit(f"{self.name} worker ended unexpectedly")
            if line.startswith("{"):
                return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


EDGE_CONTEXT = 4  # input pixels: TileAxis.EdgeContext


def psnr(a, b, source=None):
    """PSNR of two outputs; with their input, only inside a border of EDGE_CONTEXT input pixels."""
    a = np.asarray(Image.open(a).convert("RGB"), dtype=np.float64)
    b = np.asarray(Image.open(b).convert("RGB"), dtype=np.float64)
    if a.shape != b.shape:
        return float("nan")
    if source is not None:
        border = EDGE_CONTEXT * a.shape[1] // Image.open(source).width
        a, b = a[border:-border, border:-border], b[border:-border, border:-border]
    mse = np.mean((a - b) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255 ** 2 / mse)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--input", required=True, type=pathlib.Path)
    p.add_argument("--onnx", required=True)
    p.add_argument("--checkpoint")
    p.add_argument("--full-size", action="store_true")
    p.add_argument("--module", required=True)
    p.add_argument("--work", required=True, type=pathlib.Path)
    p.add_argument("--label", required=True)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--product-tiles", default="128")
    p.add_argument("--tile", type=int, default=128, help="PyTorch peer tile (0: whole image)")
    p.add_argument("--overlap", type=int, default=16)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--scale", type=int, default=4)
    p.add_argument("--tjs-threads", default="", help="comma list of ORT intra-op threads, one worker each")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--min-consistency", default="20", help="product quality gate; 0 for random weights")
    args = p.parse_args()

    work = args.work / args.label
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = sorted(f for f in args.input.iterdir() if f.suffix.lower() in IMAGES)
    warmup = work / "warmup-in"
    warmup.mkdir()
    shutil.copy(min(files, key=lambda f: Image.open(f).size[0] * Image.open(f).size[1]), warmup)  # cheapest
    tjs_root = work / "tjs-models"
    transformers_js_model(args.onnx, tjs_root, "swin2sr", args.scale)

    tiles = [int(t) for t in args.product_tiles.split(",")]
    # Tile 0 runs the product's defaults (largest tile 256, every window multiple on the CPU, batch found at run time).
    workers = [Worker(f"product-t{t}" if t else "product-default", ["dotnet", "pwsh", "-NoProfile", "-File", str(HERE / "product_worker.ps1"),
                                        "-Module", args.module, "-Model", str(pathlib.Path(args.onnx).resolve()),
                                        "-TileSize", str(t), "-TileOverlap", str(args.overlap),
                                        "-BatchSize", str(args.batch if t else 0), "-MinConsistencyPsnr", args.min_consistency,
                                        "-JobStore", str(work / "jobs.db")]) for t in tiles]
    for threads in args.tjs_threads.split(","):  # "" = ONNX Runtime's default thread count
        workers.append(Worker("transformers.js" + (f"-{threads}thr" if threads else ""),
                              ["node", str(HERE / "tjs_worker.mjs"), str(tjs_root), "swin2sr", threads]))
    torch_model = ["--full-size"] if args.full_size else ["--checkpoint", args.checkpoint]
    if not args.no_torch:
        workers.append(Worker("pytorch", ["/usr/bin/python3", str(HERE / "torch_worker.py"), *torch_model,
                                          "--tile", str(args.tile), "--overlap", str(args.overlap), "--threads", "2"]))

    for w in workers:
        w.run(warmup, work / "warmup-out" / w.name)
    runs = {w.name: [] for w in workers}
    for r in range(args.rounds):
        for w in workers:
            result = w.run(args.input, work / "out" / w.name)
            if result["images"] != len(files):
                sys.exit(f"{w.name}: {result['images']} of {len(files)} images done: {result}")
            result["imagesPerSecond"] = result["images"] / result["seconds"]
            runs[w.name].append(result)
            print(f"round {r + 1} {w.name:<16} {result['images']} images {result['seconds']:7.2f} s "
                  f"{result['imagesPerSecond']:.3f} images/s", flush=True)
    for w in workers:
        w.close()

    product = workers[0].name
    rows = []
    for w in workers:
        ips = [x["imagesPerSecond"] for x in runs[w.name]]
        # Ratio per round (product and peer ran back to back), then the median over rounds.
        ratio = statistics.median(a["imagesPerSecond"] / b["imagesPerSecond"]
                                  for a, b in zip(runs[product], runs[w.name]))
        pairs = [(work / "out" / product / (f.stem + ".png"), work / "out" / w.name / (f.stem + ".png"), f)
                 for f in files] if w.name != product else []
        scores = [psnr(ours, theirs) for ours, theirs, _ in pairs]
        inside = [psnr(ours, theirs, source) for ours, theirs, source in pairs]
        rows.append({"peer": w.name, "imagesPerSecond": statistics.median(ips), "runs": runs[w.name],
                     "productSpeedup": ratio, "psnrMin": min(scores) if scores else None,
                     "psnrMean": statistics.mean(scores) if scores else None, "psnr": scores,
                     "psnrInsideMin": min(inside) if inside else None, "psnrInside": inside})
    (work / "results.json").write_text(json.dumps({"label": args.label, "images": [f.name for f in files],
                                                   "args": {k: str(v) for k, v in vars(args).items()},
                                                   "rows": rows}, indent=2))
    print(f"\n{args.label}: {len(files)} images from {args.input}")
    print("| peer | images/s (median) | product-t%d speed-up | PSNR vs product min / mean (dB) | min inside the border |" % tiles[0])
    print("|---|---|---|---|---|")
    for row in rows:
        match = "-" if row["psnrMin"] is None else f"{row['psnrMin']:.1f} / {row['psnrMean']:.1f}"
        inside = "-" if row["psnrInsideMin"] is None else f"{row['psnrInsideMin']:.1f}"
        print(f"| {row['peer']} | {row['imagesPerSecond']:.3f} | {row['productSpeedup']:.2f}x | {match} | {inside} |")


if __name__ == "__main__":
    main()
