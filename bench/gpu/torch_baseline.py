"""PyTorch throughput of a full-size Swin2SR x4 on whole images: the baseline the ONNX Runtime figures are set against.

--arch hf: transformers' Swin2SRForImageSuperResolution with random weights of the published classical x4
configuration (embed 180, depths 6x6, heads 6, window 8, pixel-shuffle upsampler), the model people run.
--arch project: the project's own architecture (models/tools/swin2sr.py), which is the graph in the benchmarked ONNX
file, so that row compares the two runtimes on the very same computation.

fp32 with TF32 tensor cores (as the CUDA provider's use_tf32=1), cuDNN autotuning on (fixed shapes), inference mode.
Each batch size runs --seconds after --warmup batches; the GPUs' busy share is sampled through NVML meanwhile.

Usage: python3 torch_baseline.py --arch hf|project [--device cuda] [--size 512] [--batches 1,2,4,8]
                                  [--seconds 10] [--warmup 2] [--json results.json]
"""
import argparse
import ctypes
import json
import pathlib
import sys
import threading
import time

import torch

HERE = pathlib.Path(__file__).resolve().parent


def build_model(arch):
    if arch == "hf":
        from transformers import Swin2SRConfig, Swin2SRForImageSuperResolution
        config = Swin2SRConfig(upscale=4, embed_dim=180, depths=[6] * 6, num_heads=[6] * 6, window_size=8, mlp_ratio=2.0,
                               upsampler="pixelshuffle", resi_connection="1conv", img_range=1.0)
        model = Swin2SRForImageSuperResolution(config)
        return model, lambda x: model(pixel_values=x).reconstruction
    # The staged folder holds models/tools/swin2sr.py beside this script; the repository has it two levels up.
    for tools in (HERE, HERE.parents[1] / "models" / "tools"):
        if (tools / "swin2sr.py").exists():
            sys.path.insert(0, str(tools))
            break
    sys.path.insert(0, str(HERE))
    from swin2sr import Swin2SR
    from export_full_size import FULL_SIZE_X4
    model = Swin2SR(FULL_SIZE_X4)
    return model, model


class GpuBusy:
    """Mean NVML utilization over all GPUs, sampled every 250 ms on a thread; None without NVML."""

    def __init__(self):
        self.samples = []
        self._stop = threading.Event()
        try:
            self._nvml = ctypes.CDLL("libnvidia-ml.so.1")
        except OSError:
            self._nvml = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self._nvml is not None and self._nvml.nvmlInit_v2() == 0:
            self._thread.start()
        return self

    def _run(self):
        count = ctypes.c_uint()
        self._nvml.nvmlDeviceGetCount_v2(ctypes.byref(count))
        handles = []
        for index in range(count.value):
            handle = ctypes.c_void_p()
            self._nvml.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle))
            handles.append(handle)
        rates = (ctypes.c_uint * 2)()
        while not self._stop.wait(0.25):
            for handle in handles:
                if self._nvml.nvmlDeviceGetUtilizationRates(handle, ctypes.byref(rates)) == 0:
                    self.samples.append(rates[0])

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
            self._nvml.nvmlShutdown()

    @property
    def mean(self):
        return sum(self.samples) / len(self.samples) if self.samples else None


def measure(forward, device, batch, size, seconds, warmup):
    x = torch.rand(batch, 3, size, size, device=device)
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    with torch.inference_mode():
        for _ in range(warmup):
            forward(x)
        sync()
        images = batches = 0
        with GpuBusy() as busy:
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
                forward(x)
                sync()  # count only finished work
                images += batch
                batches += 1
            elapsed = time.perf_counter() - start
    return {"batch": batch, "tile": size, "images": images, "seconds": elapsed, "imagesPerSecond": images / elapsed,
            "msPerBatch": 1000 * elapsed / batches, "gpuBusyPercent": busy.mean, "outOfMemory": False}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=["hf", "project"], required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--batches", default="1,2,4,8")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--json")
    args = parser.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(0)
    model, forward = build_model(args.arch)
    model.eval().to(args.device)
    label = f"torch-{args.arch}:{args.device}"
    print(f"torch {torch.__version__}, {label}, {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters, "
          f"{args.size}x{args.size} -> {4 * args.size}x{4 * args.size}")
    print(f"{'devices':<22} {'batch':>5} {'tile':>5} {'images/s':>9} {'ms/batch':>9} {'GPU busy':>9}")
    rows = []
    for batch in (int(b) for b in args.batches.split(",")):
        try:
            row = measure(forward, args.device, batch, args.size, args.seconds, args.warmup)
        except torch.cuda.OutOfMemoryError:
            rows.append({"batch": batch, "tile": args.size, "outOfMemory": True, "devices": label})
            print(f"{label:<22} {batch:>5} {args.size:>5} out of memory")
            torch.cuda.empty_cache()
            break
        row["devices"] = label
        rows.append(row)
        busy = f"{row['gpuBusyPercent']:.0f}%" if row["gpuBusyPercent"] is not None else "-"
        print(f"{label:<22} {batch:>5} {args.size:>5} {row['imagesPerSecond']:>9.2f} {row['msPerBatch']:>9.1f} {busy:>9}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"engine": label, "torch": torch.__version__, "rows": rows}, indent=2))
    return 0 if any(not r["outOfMemory"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
