# Sourced by run-peers.sh: checks that report each missing prerequisite with the exact command that makes it, so a
# clean clone learns everything it lacks in one run instead of failing on the first one halfway through.
# Uses DATA (the folder of Set5, RealSRSet) from the caller.
missing=0

# need_report WHAT COMMAND
need_report() {
  echo "MISSING: $1" >&2
  echo "  make it: $2" >&2
  missing=$((missing + 1))
}
need_command() { command -v "$1" > /dev/null || need_report "the command $1" "$2"; }
need_python() { /usr/bin/python3 -c "import $1" 2> /dev/null || need_report "the Python module $1 (/usr/bin/python3)" "apt-get install -y $2"; }
need_file() { [[ -f $1 ]] || need_report "$1: $2" "$3"; }
# The images are public sets placed beside the clone by hand; no script here downloads them.
need_data() {
  [[ -d $DATA/$1 ]] || need_report "$DATA/$1 (images)" \
    "copy the public Set5 and RealSRSet sets into $DATA (Set5/LR_bicubic/X4/*.png, RealSRSet/*), or set DATA= to the folder that holds them"
}
need_node() {
  if ! command -v node > /dev/null || ! command -v npm > /dev/null ||
     ! node -e "process.exit(+process.versions.node.split('.')[0] < $1 ? 1 : 0)"; then
    need_report "node >= $1 with npm (found: $(node --version 2> /dev/null || echo none))" \
      "curl -fsSL https://deb.nodesource.com/setup_$1.x | bash - && apt-get install -y nodejs"
  fi
}
# stop_if_missing MODE
stop_if_missing() {
  if ((missing)); then
    echo "FAILED: $missing prerequisite(s) of '$1' missing (above); nothing was built or run." >&2
    exit 1
  fi
}
