#!/usr/bin/env bash
# Remote side, last run: joins and checks the parts in the staging folder, unpacks them, points the loader at the
# CUDA libraries of the machine's python3 (site-packages/nvidia/*/lib), prints the execution providers and fails
# loudly when CUDA cannot be used, then benchmarks ONNX Runtime (Swin2SR.Bench throughput) and PyTorch on the same
# GPU and prints one table. Full results go to $OUT (the folder the device tool brings back) or out/gpu-results.
#
# Environment (defaults are the GPU benchmark; the CPU test of this script sets them small):
#   STAGE_DIR=/tmp/stage DEVICE=cuda SIZE=512 BATCHES=1,2,4,8 SECONDS_PER_BATCH=10 ARCHES="hf project" PYTHON=python3
set -euo pipefail
stage="${STAGE_DIR:-/tmp/stage}"
results="${OUT:-$PWD/out/gpu-results}"
device="${DEVICE:-cuda}"
size="${SIZE:-512}"
batches="${BATCHES:-1,2,4,8}"
seconds="${SECONDS_PER_BATCH:-10}"
arches="${ARCHES:-hf project}"
python="${PYTHON:-python3}"
mkdir -p "$results"

cd "$stage"
archive=swin2sr-gpu.tar.xz
if [ ! -d swin2sr-gpu ]; then
    cat "$archive".part-* > "$archive"
    sha256sum -c "$archive.sha256" || { echo "FAILED: the joined archive does not match its SHA-256 (a part is missing or damaged)" >&2; ls -l >&2; exit 1; }
    tar -xJf "$archive"
    rm -f "$archive" "$archive".part-*
fi
app="$stage/swin2sr-gpu"

# The CUDA 13 libraries (cudart, cuBLAS, cuRAND, cuDNN) come with the machine's PyTorch wheels.
site=$("$python" -c 'import site, sys; print("\n".join(site.getsitepackages() + [site.getusersitepackages()]))')
cuda_libs=""
while IFS= read -r folder; do
    for lib in "$folder"/nvidia/*/lib; do
        [ -d "$lib" ] && cuda_libs="$cuda_libs:$lib"
    done
done <<< "$site"
export LD_LIBRARY_PATH="$app/bench${cuda_libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# A machine set up for Python may lack ICU, which .NET needs for culture data; the benchmark needs none.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=index,name,memory.total,memory.free,utilization.gpu --format=csv || true

set +e
"$app/bench/Swin2SR.Bench" throughput --model "$app/models/swin2sr-full-x4.onnx" --device "$device" --size "$size" \
    --batches "$batches" --seconds "$seconds" --json "$results/ort-$device.json" | tee "$results/ort-$device.txt"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 3 ]; then
    echo "FAILED: CUDA IS NOT USABLE by ONNX Runtime on this machine (see the providers and devices above)" >&2
    exit 3
fi
[ "$status" -eq 0 ] || { echo "FAILED: the ONNX Runtime benchmark exited with $status" >&2; exit "$status"; }

jsons=("$results/ort-$device.json")
# The fp16 rewrite (-Precision Fp16): a failure here is reported, not fatal; the fp32 row is the reference.
if "$app/bench/Swin2SR.Bench" throughput --model "$app/models/swin2sr-full-x4.onnx" --device "$device" --precision fp16 \
    --size "$size" --batches "$batches" --seconds "$seconds" --json "$results/ort-fp16-$device.json" | tee "$results/ort-fp16-$device.txt"; then
    jsons+=("$results/ort-fp16-$device.json")
else
    echo "WARNING: the fp16 run failed (see above)" >&2
fi
for arch in $arches; do
    "$python" "$app/torch_baseline.py" --arch "$arch" --device "$device" --size "$size" --batches "$batches" \
        --seconds "$seconds" --json "$results/torch-$arch-$device.json" | tee "$results/torch-$arch-$device.txt"
    jsons+=("$results/torch-$arch-$device.json")
done

echo
"$python" "$app/summarize.py" "${jsons[@]}" | tee "$results/summary.md"
