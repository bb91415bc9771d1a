#!/usr/bin/env bash
# Remote side, one run per part: moves the part this run carried into the staging folder, where the last run's
# run-remote.sh joins them. The staging folder must survive between runs: run the parts back to back.
# Usage: bash bench/gpu/receive-part.sh out/gpu-stage/parts/<part> [more files carried with it]
set -euo pipefail
stage="${STAGE_DIR:-/tmp/stage}"
[ $# -gt 0 ] || { echo "usage: $0 PART..." >&2; exit 2; }
mkdir -p "$stage"
for part in "$@"; do
    [ -f "$part" ] || { echo "FAILED: $part was not carried to this machine" >&2; exit 1; }
    mv -f "$part" "$stage/"
done
ls -l "$stage"
