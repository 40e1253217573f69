#!/usr/bin/env bash
# Renders p2mfuzz's HTML report in a real browser (headless Chromium) and checks the screenshot:
#   tests/screenshots/report.sh [OUT.png]      (default fuzz-out/screenshots/report.png)
# Two short, deterministic campaigns (--runs) append to one stats file, `p2mfuzz report` turns it into a page,
# Chromium screenshots the whole page, and the PNG is checked: Chromium's own size, and far more bytes than a
# blank page takes (a page whose charts failed to draw compresses to a few KiB). Look at the PNG too: two runs in
# the summary, four charts with ticks, values and units, one line per run, the mutator and probe tables.
# Chromium comes from Debian (apt-get install -y chromium); as root this installs it when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-fuzz-out/screenshots/report.png}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq chromium > /dev/null
        browser=$(command -v chromium)
    else
        echo "report.sh: Chromium is needed: apt-get install -y chromium" >&2
        exit 2
    fi
fi

dotnet build Fuzz/Cli -c Release -nologo -v quiet > /dev/null
cli=$(dotnet msbuild Fuzz/Cli -nologo -p:Configuration=Release -getProperty:TargetPath)
for seed in 1 2; do
    dotnet "$cli" fuzz --runs 4000 --seed "$seed" --geometry both --crashes "$work/crashes" --stats "$work/stats.jsonl" > /dev/null 2>&1
done
dotnet "$cli" report "$work/stats.jsonl" --out "$work/report.html"

mkdir -p "$(dirname "$out")"
width=1200 height=4200
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$width,$height \
    --screenshot="$out" "file://$work/report.html" > /dev/null 2>&1

python3 - "$out" "$width" "$height" <<'PY'
import struct, sys
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', f'{path}: not a PNG'
w, h = struct.unpack('>II', data[16:24])
assert (w, h) == (width, height), f'{path}: {w}x{h}, expected {width}x{height}'
assert len(data) > 150_000, f'{path}: only {len(data)} bytes: the page looks blank'
print(f'report.sh: {path}: {w}x{h}, {len(data)} bytes')
PY
