"""Check an exported Swin2SR ONNX file against its PyTorch checkpoint, and score it on Set5.

1. Runs the ONNX file with ONNX Runtime (onnxruntime-node, see ort_node.py) and the PyTorch model at
   several sizes and batch sizes; the largest absolute difference must stay below 1e-4. Sizes differ
   from the export's trace size, so a graph that froze anything size-dependent fails here.
2. Writes reference tensors for the C# tests: reference/<model>-<H>x<W>.bin holds the input then the
   PyTorch output (raw little-endian float32), described by reference/<model>-<H>x<W>.json.
3. Scores the ONNX file on Set5 (PSNR-Y) beside bicubic.

Usage: /usr/bin/python3 models/tools/check_export.py CHECKPOINT.pt MODEL.onnx
"""
import argparse
import json
import pathlib

import numpy as np
import torch

import evaluation
import export
import ort_node

TOLERANCE = 1e-4
CHECK_SHAPES = [(1, 3, 8, 8), (1, 3, 16, 40), (1, 3, 48, 24), (1, 3, 64, 64), (2, 3, 16, 40), (2, 3, 64, 64)]
REFERENCE_SIZES = [(8, 8), (16, 24), (24, 16)]
REFERENCE_DIR = pathlib.Path(__file__).resolve().parent / "reference"


def torch_forward(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def compare_with_torch(model, onnx_path, rng):
    """{shape: max abs diff} over CHECK_SHAPES."""
    inputs = [rng.random(shape, dtype=np.float32) for shape in CHECK_SHAPES]
    diffs = {}
    for x, actual in zip(inputs, ort_node.run_model(onnx_path, inputs)):
        expected = torch_forward(model, x)
        assert actual.shape == expected.shape, (x.shape, actual.shape, expected.shape)
        diffs[x.shape] = float(np.abs(actual - expected).max())
    return diffs


def write_references(model, onnx_path, rng):
    REFERENCE_DIR.mkdir(exist_ok=True)
    name = pathlib.Path(onnx_path).stem
    for height, width in REFERENCE_SIZES:
        x = rng.random((1, 3, height, width), dtype=np.float32)
        y = torch_forward(model, x)
        stem = REFERENCE_DIR / f"{name}-{height}x{width}"
        with open(f"{stem}.bin", "wb") as f:
            f.write(x.astype("<f4").tobytes())
            f.write(y.astype("<f4").tobytes())
        description = {"model": f"{name}.onnx", "layout": "input then output, raw little-endian float32, NCHW",
                       "input_shape": list(x.shape), "output_shape": list(y.shape),
                       "tolerance": TOLERANCE}
        pathlib.Path(f"{stem}.json").write_text(json.dumps(description, indent=2) + "\n")


def check(checkpoint_path, onnx_path, data_dir=evaluation.DEFAULT_DATA_DIR):
    """Runs all checks; returns a multi-line report. Raises if the export differs from PyTorch."""
    model, _ = export.load_checkpoint(checkpoint_path)
    rng = np.random.default_rng(0)
    diffs = compare_with_torch(model, onnx_path, rng)
    lines = [f"ONNX vs PyTorch max abs diff {shape}: {diff:.2e}" for shape, diff in diffs.items()]
    worst = max(diffs.values())
    if worst >= TOLERANCE:
        raise AssertionError("\n".join(lines + [f"max abs diff {worst:.2e} >= {TOLERANCE}"]))
    write_references(model, onnx_path, rng)

    scale, window = model.config.scale, model.config.window_size
    pairs = evaluation.load_set5(scale, data_dir)
    scores = evaluation.score(ort_node.run_model(onnx_path, evaluation.model_inputs(pairs, window)), pairs, scale)
    lines += [f"Set5 x{scale} {name}: ONNX {model_db:.3f} dB, bicubic {bicubic_db:.3f} dB"
              for name, (model_db, bicubic_db) in scores["per_image"].items()]
    lines.append(f"Set5 x{scale} mean PSNR-Y (ONNX Runtime): model {scores['model']:.3f} dB, "
                 f"bicubic {scores['bicubic']:.3f} dB, gain {scores['model'] - scores['bicubic']:+.3f} dB")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("onnx")
    parser.add_argument("--data", default=str(evaluation.DEFAULT_DATA_DIR))
    args = parser.parse_args()
    print(check(args.checkpoint, args.onnx, args.data))


if __name__ == "__main__":
    main()
