"""Export a full-size Swin2SR x4 (classical: embed 180, depths 6x6, heads 6, window 8) with random weights to ONNX.

Speed does not depend on the weights, so random ones (seeded) stand in for a trained model in start-up and
throughput benchmarks. The architecture and the export are the project's own (models/tools), so the file has the
module's contract: pixel_values [B,3,H,W] -> reconstruction [B,3,4H,4W], dynamic batch, height and width.

Usage: /usr/bin/python3 bench/gpu/export_full_size.py OUT.onnx
"""
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "models" / "tools"))
from swin2sr import Swin2SR, Swin2SRConfig  # noqa: E402

# The published classical x4 Swin2SR (Conde et al. 2022; transformers' Swin2SRConfig with these values).
FULL_SIZE_X4 = Swin2SRConfig(scale=4, embed_dim=180, depths=(6, 6, 6, 6, 6, 6), num_heads=6, mlp_ratio=2.0,
                             window_size=8, num_feat=64)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.splitlines()[-1])
    from export import export_onnx  # needs onnx, which torch_baseline.py (importing FULL_SIZE_X4) does not
    torch.manual_seed(0)
    model = Swin2SR(FULL_SIZE_X4).eval()
    export_onnx(model, sys.argv[1])
    parameters = sum(p.numel() for p in model.parameters())
    print(f"wrote {sys.argv[1]} ({parameters / 1e6:.1f} M parameters)")


if __name__ == "__main__":
    main()
