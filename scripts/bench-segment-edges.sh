#!/usr/bin/env bash
# The farm's joins on real footage, by hand (never in CI; a few minutes): the first FRAMES
# frames of tears_of_steel through `vst-coord submit --method copy` (the farm alone: no style,
# so every step at a join is the encoding's) at --chunk CHUNK, with this tree's build at each
# --join-gain of GAINS and, with OLD_BIN, an older build; and the same frames encoded by ffmpeg
# as one stream with the farm's x264 settings (CRF 18, medium). For each: the film's size and
# warperr.py's mean over the pairs across the joins (OpenCV DeepFlow, ../shared/peers), each
# also against the one stream's (the same pairs, where nothing was joined).
# usage: scripts/bench-segment-edges.sh [OUTDIR]
# env:   BIN (release binaries, default .build/release), OLD_BIN (optional), FRAMES (96), CHUNK (32),
#        GAINS ("0 2 4"), PY (/tmp/peers/venv/bin/python, from ../shared/peers/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}; mkdir -p "$out"
BIN=${BIN:-.build/release}; FRAMES=${FRAMES:-96}; CHUNK=${CHUNK:-32}; PY=${PY:-/tmp/peers/venv/bin/python}
clip=../shared/media/tears_of_steel_excerpt_640x360.mp4
boundaries=$(seq -s, "$CHUNK" "$CHUNK" $((FRAMES - 1)))
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $FRAMES frames, chunk $CHUNK, joins before frames $boundaries"
ffmpeg -v error -y -i "$clip" -frames:v "$FRAMES" -an -c:v ffv1 "$out/input.mkv"
ffmpeg -v error -y -i "$out/input.mkv" -c:v libx264 -crf 18 -preset medium -pix_fmt yuv420p "$out/one-stream.mkv"
row() {  # row NAME FILM
    "$PY" ../shared/peers/warperr.py "$out/input.mkv" "$2" --boundaries "$boundaries" | python3 -c "
import json, os, sys; r = json.load(sys.stdin); name, size = sys.argv[1], int(sys.argv[2])
base = sys.argv[3].split() if len(sys.argv) > 3 else [str(size), str(r['boundary_mean'])]
print('| %s | %d | %.2fx | %.5f | %.2fx |' % (name, size, size / float(base[0]), r['boundary_mean'], r['boundary_mean'] / float(base[1])))
if len(sys.argv) == 3: open(os.environ['BASE'], 'w').write('%d %r' % (size, r['boundary_mean']))" "$1" "$(stat -c %s "$2")" ${3:+"$3"}
}
export BASE=$out/one-stream.base
echo "| film | bytes | vs one stream | warperr across the joins | vs one stream |"
echo "| --- | ---: | ---: | ---: | ---: |"
row "ffmpeg, one stream" "$out/one-stream.mkv"
base=$(cat "$BASE")
if [ -n "${OLD_BIN:-}" ]; then
    "$OLD_BIN/vst-coord" submit "$out/input.mkv" --method copy --chunk "$CHUNK" --local-workers 1 --out "$out/old.mkv" > "$out/old.log" 2>&1
    row "vst-coord submit --method copy, $OLD_BIN" "$out/old.mkv" "$base"
fi
for gain in ${GAINS:-0 2 4}; do
    "$BIN/vst-coord" submit "$out/input.mkv" --method copy --chunk "$CHUNK" --join-gain "$gain" --local-workers 1 --out "$out/gain-$gain.mkv" > "$out/gain-$gain.log" 2>&1
    row "vst-coord submit --method copy --join-gain $gain" "$out/gain-$gain.mkv" "$base"
done
