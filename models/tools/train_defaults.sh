#!/usr/bin/env bash
# Makes the embedded default model swin2sr-tiny-x2.onnx from scratch, bit for bit: a fixed number of steps, a fixed
# seed and two torch threads make the run deterministic on this software (Debian python3-torch 1.13 with OpenBLAS),
# however loaded the machine is. About 32 minutes on two quiet cores (log: models/tools/logs/train-x2.log).
# swin2sr-tiny-x4.onnx is not remade here yet: see models/README.md for the two runs that made it.
# Needs: apt-get install python3-torch python3-onnx libopenblas0-pthread libtcmalloc-minimal4
# Usage: models/tools/train_defaults.sh [output folder, default models]
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-models}"
/usr/bin/python3 models/tools/train.py --scale 2 --steps 2400 --seed 1 --batch 8 --lr-crop 48 --lr 0.002 --warmup 100 \
    --threads 2 --eval-every 600 --out "$out/swin2sr-tiny-x2.onnx"
