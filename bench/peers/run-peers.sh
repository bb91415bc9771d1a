#!/usr/bin/env bash
# Swin2SR.PowerShell against transformers.js and PyTorch eager on the CPU, same ONNX/weights, same images,
# plus the batch x tile scaling plot. Writes everything under $WORK (default /tmp/peers); figures go to
# docs/peers/results.md by hand.
#
# Prerequisites (Debian 12): .NET 10 SDK; node >= 20 with npm; apt-get install python3-torch python3-onnx
#   python3-pil python3-numpy python3-matplotlib libopenblas0-pthread; ../shared/data (RealSRSet, Set5).
# No network at run time except `npm ci` (npm registry), which installs the pinned package-lock.json.
#
# Usage: bash bench/peers/run-peers.sh [all|tiny|full|scaling]     (from anywhere in the clone)
# Rounds: SET5_ROUNDS (3), ROUNDS (2, RealSRSet), FULL_ROUNDS (2), SCALING_REPEAT (2).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=${DATA:-$ROOT/../shared/data}
WORK=${WORK:-/tmp/peers}
ROUNDS=${ROUNDS:-2}
WHAT=${1:-all}
mkdir -p "$WORK"

(cd "$HERE" && npm ci --no-audit --no-fund --silent)
# A failed build (a tree mid-edit) falls back to the module staged before, with a warning.
(cd "$ROOT" && dotnet tool restore > /dev/null && dotnet pwsh ./build.ps1 build) ||
  { [[ -d $ROOT/out/Swin2SR.PowerShell ]] && echo "WARNING: build failed; using the existing out/Swin2SR.PowerShell"; }
# A private copy of the staged module, so a rebuild in the working tree cannot change it halfway through.
rm -rf "$WORK/module" && mkdir -p "$WORK/module" && cp -r "$ROOT/out/Swin2SR.PowerShell" "$WORK/module/"
MODULE=$WORK/module/Swin2SR.PowerShell

# The checkpoint is copied first (training may rewrite it) and the ONNX file all three peers run is exported from
# that copy, so they run identical weights; say whether it matches the committed embedded model.
cp "$ROOT/models/tools/checkpoints/swin2sr-tiny-x4.pt" "$WORK/tiny-x4.pt"
(cd "$ROOT/models/tools" && /usr/bin/python3 export.py "$WORK/tiny-x4.pt" "$WORK/tiny-x4.onnx" 2>/dev/null)
if cmp -s "$WORK/tiny-x4.onnx" "$ROOT/models/swin2sr-tiny-x4.onnx"; then echo "tiny-x4.onnx is byte-identical to models/swin2sr-tiny-x4.onnx"
else echo "NOTE: the checkpoint no longer matches models/swin2sr-tiny-x4.onnx; all peers use $WORK/tiny-x4.onnx"; fi

# Inputs: Set5 x4 LR (5 small images) and every third RealSRSet image (8 real photos, 443 k pixels).
mkdir -p "$WORK/set5" "$WORK/realsr8"
cp "$DATA"/Set5/LR_bicubic/X4/*.png "$WORK/set5/"
ls "$DATA/RealSRSet" | sort | awk 'NR % 3 == 1' | head -8 | while read -r f; do cp "$DATA/RealSRSet/$f" "$WORK/realsr8/"; done

peers() { /usr/bin/python3 "$HERE/peers.py" --module "$MODULE" --work "$WORK/work" "$@" | tee "$WORK/$2.log"; }
# Callers pass --label first: its value ($2) names the log.
if [[ $WHAT == all || $WHAT == tiny ]]; then
  peers --label tiny-set5 --input "$WORK/set5" --onnx "$WORK/tiny-x4.onnx" --checkpoint "$WORK/tiny-x4.pt" \
        --rounds "${SET5_ROUNDS:-3}" --product-tiles 0,128
  peers --label tiny-realsr8 --input "$WORK/realsr8" --onnx "$WORK/tiny-x4.onnx" --checkpoint "$WORK/tiny-x4.pt" \
        --rounds "$ROUNDS" --product-tiles 0,128
fi
if [[ $WHAT == all || $WHAT == full ]]; then
  # Full-size classical x4 (embed 180, 6x6 layers), random weights seeded 0; its torch twin is rebuilt the same way.
  [[ -f $WORK/full-x4.onnx ]] || /usr/bin/python3 "$ROOT/bench/gpu/export_full_size.py" "$WORK/full-x4.onnx" 2>/dev/null
  peers --label full-set5 --input "$WORK/set5" --onnx "$WORK/full-x4.onnx" --full-size \
        --rounds "${FULL_ROUNDS:-2}" --product-tiles 0 --min-consistency 0
fi
if [[ $WHAT == all || $WHAT == scaling ]]; then
  dotnet pwsh -NoProfile -File "$HERE/Measure-Scaling.ps1" -InputDirectory "$WORK/realsr8" -Csv "$WORK/scaling.csv" \
      -Module "$MODULE" -Model "$WORK/tiny-x4.onnx" -Repeat "${SCALING_REPEAT:-2}" -Work "$WORK/scaling"
  /usr/bin/python3 "$HERE/plot_scaling.py" "$WORK/scaling.csv" "$ROOT/docs/peers/scaling.png" \
      "8 RealSRSet photos, $(nproc) CPU cores, model load included"
fi
