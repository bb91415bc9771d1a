#!/usr/bin/env bash
# Swin2SR.PowerShell against transformers.js and PyTorch eager on the CPU, same ONNX/weights, same images,
# plus the batch x tile scaling plot. Writes everything under $WORK (default /tmp/peers); figures go to
# docs/peers/results.md by hand.
#
# Prerequisites (Debian 12), each only for the modes that use it; the script checks them first, and for each one
# missing prints the command that makes it and stops before running anything:
#   all modes: .NET 10 SDK (builds the module);
#   tiny: node >= 20 with npm, python3-torch python3-onnx python3-pil python3-numpy libopenblas0-pthread,
#         $DATA/Set5 and $DATA/RealSRSet, and the tiny x4's training checkpoint
#         models/tools/checkpoints/swin2sr-tiny-x4.pt (git-ignored: a clean clone lacks it; train.py writes it);
#   full: node >= 20 with npm, python3-torch python3-onnx python3-pil python3-numpy, $DATA/Set5;
#   scaling: python3-matplotlib, $DATA/RealSRSet (it runs the committed models/swin2sr-tiny-x4.onnx).
# No network at run time except `npm ci` (npm registry), which installs the pinned package-lock.json.
#
# Usage: bash bench/peers/run-peers.sh [all|tiny|full|scaling] [--check]     (from anywhere in the clone)
#   --check: only check the mode's prerequisites (exit 1 when one is missing); builds and runs nothing.
# Rounds: SET5_ROUNDS (3), ROUNDS (2, RealSRSet), FULL_ROUNDS (2), SCALING_REPEAT (2). DATA: ../shared/data.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${DATA:-$ROOT/../shared/data}
WORK=${WORK:-/tmp/peers}
ROUNDS=${ROUNDS:-2}
WHAT=all
CHECK_ONLY=false
for arg in "$@"; do
  case $arg in
    all | tiny | full | scaling) WHAT=$arg ;;
    --check) CHECK_ONLY=true ;;
    *) echo "usage: bash bench/peers/run-peers.sh [all|tiny|full|scaling] [--check]" >&2; exit 2 ;;
  esac
done
runs() { [[ $WHAT == all || $WHAT == "$1" ]]; }
CHECKPOINT=models/tools/checkpoints/swin2sr-tiny-x4.pt

source "$HERE/prerequisites.sh"
need_command dotnet "curl -sSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 10.0 && export PATH=\"\$HOME/.dotnet:\$PATH\""
if runs tiny || runs full; then
  need_node 20
  need_python numpy python3-numpy
  need_python PIL python3-pil
  need_python torch "python3-torch libopenblas0-pthread"
  need_python onnx python3-onnx
  need_data Set5/LR_bicubic/X4
fi
if runs tiny || runs scaling; then need_data RealSRSet; fi
if runs tiny; then
  need_file "$ROOT/$CHECKPOINT" "the tiny x4's training checkpoint (git-ignored)" \
    "SCALES=4 bash models/tools/train_defaults.sh /tmp/swin2sr-retrained   # ~40 min on 2 cores, needs $DATA/BSD100 and Urban100; writes $CHECKPOINT (and rewrites models/tools/logs/train-x4.log), not the committed ONNX"
fi
if runs scaling; then need_python matplotlib python3-matplotlib; fi
stop_if_missing "$WHAT"
if $CHECK_ONLY; then echo "everything '$WHAT' needs is here"; exit 0; fi

mkdir -p "$WORK"
# A failed build (a tree mid-edit) falls back to the module staged before, with a warning.
(cd "$ROOT" && dotnet tool restore > /dev/null && dotnet pwsh ./build.ps1 build) || {
  [[ -d $ROOT/out/Swin2SR.PowerShell ]] || { echo "FAILED: the build failed and there is no out/Swin2SR.PowerShell to fall back to" >&2; exit 1; }
  echo "WARNING: build failed; using the existing out/Swin2SR.PowerShell"; }
# A private copy of the staged module, so a rebuild in the working tree cannot change it halfway through.
rm -rf "$WORK/module" && mkdir -p "$WORK/module" && cp -r "$ROOT/out/Swin2SR.PowerShell" "$WORK/module/"
MODULE=$WORK/module/Swin2SR.PowerShell
if runs tiny || runs full; then (cd "$HERE" && npm ci --no-audit --no-fund --silent); fi

# Inputs: Set5 x4 LR (5 small images) and every third RealSRSet image (8 real photos, 443 k pixels).
if runs tiny || runs full; then mkdir -p "$WORK/set5" && cp "$DATA"/Set5/LR_bicubic/X4/*.png "$WORK/set5/"; fi
if runs tiny || runs scaling; then
  mkdir -p "$WORK/realsr8"
  ls "$DATA/RealSRSet" | sort | awk 'NR % 3 == 1' | head -8 | while read -r f; do cp "$DATA/RealSRSet/$f" "$WORK/realsr8/"; done
fi

peers() { /usr/bin/python3 "$HERE/peers.py" --module "$MODULE" --work "$WORK/work" "$@" | tee "$WORK/$2.log"; }
# Callers pass --label first: its value ($2) names the log.
if runs tiny; then
  # The checkpoint is copied first (training may rewrite it) and the ONNX file all three peers run is exported from
  # that copy, so they run identical weights; say whether it matches the committed embedded model.
  cp "$ROOT/$CHECKPOINT" "$WORK/tiny-x4.pt"
  (cd "$ROOT/models/tools" && /usr/bin/python3 export.py "$WORK/tiny-x4.pt" "$WORK/tiny-x4.onnx" 2>/dev/null)
  if cmp -s "$WORK/tiny-x4.onnx" "$ROOT/models/swin2sr-tiny-x4.onnx"; then echo "tiny-x4.onnx is byte-identical to models/swin2sr-tiny-x4.onnx"
  else echo "NOTE: the checkpoint no longer matches models/swin2sr-tiny-x4.onnx; all peers use $WORK/tiny-x4.onnx"; fi
  peers --label tiny-set5 --input "$WORK/set5" --onnx "$WORK/tiny-x4.onnx" --checkpoint "$WORK/tiny-x4.pt" \
        --rounds "${SET5_ROUNDS:-3}" --product-tiles 0,128
  peers --label tiny-realsr8 --input "$WORK/realsr8" --onnx "$WORK/tiny-x4.onnx" --checkpoint "$WORK/tiny-x4.pt" \
        --rounds "$ROUNDS" --product-tiles 0,128
fi
if runs full; then
  # Full-size classical x4 (embed 180, 6x6 layers), random weights seeded 0; its torch twin is rebuilt the same way.
  [[ -f $WORK/full-x4.onnx ]] || /usr/bin/python3 "$ROOT/bench/gpu/export_full_size.py" "$WORK/full-x4.onnx" 2>/dev/null
  peers --label full-set5 --input "$WORK/set5" --onnx "$WORK/full-x4.onnx" --full-size \
        --rounds "${FULL_ROUNDS:-2}" --product-tiles 0 --min-consistency 0
fi
if runs scaling; then
  # The product alone, on the model it ships: speed does not depend on the weights, so no checkpoint is needed.
  dotnet pwsh -NoProfile -File "$HERE/Measure-Scaling.ps1" -InputDirectory "$WORK/realsr8" -Csv "$WORK/scaling.csv" \
      -Module "$MODULE" -Model "$ROOT/models/swin2sr-tiny-x4.onnx" -Repeat "${SCALING_REPEAT:-2}" -Work "$WORK/scaling"
  /usr/bin/python3 "$HERE/plot_scaling.py" "$WORK/scaling.csv" "$ROOT/docs/peers/scaling.png" \
      "8 RealSRSet photos, $(nproc) CPU cores, model load included"
fi
