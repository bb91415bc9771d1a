#!/usr/bin/env bash
# Makes the embedded default models swin2sr-tiny-x2.onnx and swin2sr-tiny-x4.onnx from scratch, bit for bit: a fixed
# number of steps, a fixed seed and two torch threads make each run deterministic on this software (Debian
# python3-torch 1.13 with OpenBLAS), however loaded the machine is. About 30 and 40 minutes on two quiet cores
# (logs: models/tools/logs/train-x2.log, train-x4.log). After a new x2, models/tools/make_whole_image_reference.py.
# Needs: apt-get install python3-torch python3-onnx libopenblas0-pthread libtcmalloc-minimal4
# Usage: [SCALES="2 4"] models/tools/train_defaults.sh [output folder, default models]
# The training checkpoints go to models/tools/checkpoints/swin2sr-tiny-x<scale>.pt whatever the output folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-models}"
mkdir -p "$out"
for scale in ${SCALES:-2 4}; do
    /usr/bin/python3 models/tools/train.py --scale "$scale" --steps 2400 --seed 1 --batch 8 --lr-crop 48 --lr 0.002 \
        --warmup 100 --threads 2 --eval-every 600 --out "$out/swin2sr-tiny-x$scale.onnx"
done
