#!/usr/bin/env bash
# Issue 21 item 3's figures for `vst-coord submit --method reconet --stabilize`, by hand (never in
# CI; about 20 minutes on 2 busy cores): on the first FRAMES frames of tears_of_steel, which no
# model trained on, each of MODEL plain, MODEL with --stabilize at each STRENGTH, and its
# --no-temporal TWIN is rendered through `vst-coord submit` (default chunks of 32: one chunk
# boundary at frame 32, with --stabilize's settling overlap), timed, then measured with the
# independent peers (../shared/peers, README "Independent quality measures"):
#  - warperr.py mean (OpenCV DeepFlow, forward-backward mask), and the footage's own;
#  - styleloss.py ratio, mean of frames 1, FRAMES/2 and FRAMES (each output frame against the
#    painting, over its input frame's);
#  - frames per second of the whole submit (decode, render, flows, encode; one local worker).
# Usage: scripts/reconet-stabilize.sh [--frames N] [--strengths 0.6,0.8] [--flow fast] [--keep DIR] [MODEL [TWIN]]
# STYLE names the model's painting (default starry_night); TWIN "none" skips the twin, and
# --strengths "" skips --stabilize (a new style's plain figures alone).
# Needs the peers' venv (PY, default /tmp/peers/venv/bin/python) and VGG weights (W, default
# /tmp/peers/vgg16_features.pth), as ../shared/peers/setup.sh makes them; BIN names a folder of
# release binaries to use instead of building them.
set -euo pipefail
cd "$(dirname "$0")/.."
frames=48 strengths=0.6,0.8 flow=fast keep=""
while [ $# -gt 0 ]; do
    case $1 in
        --frames) frames=$2; shift 2 ;;
        --strengths) strengths=$2; shift 2 ;;
        --flow) flow=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        *) break ;;
    esac
done
model=${1:-models/starry.reconet}
twin=${2:-models/reference/starry-johnson.reconet}
PY=${PY:-/tmp/peers/venv/bin/python}
W=${W:-/tmp/peers/vgg16_features.pth}
peers=../shared/peers
bin=${BIN:-"$(swift build -c release --show-bin-path)"}
clip=../shared/media/tears_of_steel_excerpt_640x360.mp4
style=${STYLE:-../shared/media/starry_night.jpg}
out=${keep:-$(mktemp -d)}
mkdir -p "$out"
[ -n "$keep" ] || trap 'rm -rf "$out"' EXIT

echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
picks=(1 $((frames / 2)) "$frames")
for n in "${picks[@]}"; do
    ffmpeg -v error -y -i "$clip" -vf "select=eq(n\,$((n - 1)))" -frames:v 1 "$out/input-$n.png"
done

render() {  # render NAME ARGS...: one submit, timed; prints frames per second
    local name=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    "$bin/vst-coord" submit "$clip" --method reconet --frames "$frames" --local-workers 1 --out "$out/$name.mkv" "$@" 2>/dev/null
    t1=$(date +%s.%N)
    python3 -c "import sys; print('%.2f' % ($frames / (float(sys.argv[2]) - float(sys.argv[1]))))" "$t0" "$t1"
}
measure() {  # measure NAME FPS: warping error and style ratio of one render
    local name=$1 fps=$2 warp ratios
    warp=$("$PY" "$peers/warperr.py" "$clip" "$out/$name.mkv" --frames "$frames" --boundaries 32 \
        | python3 -c "import json, sys; r = json.load(sys.stdin); print('%.4f (boundary pair %.4f)' % (r['mean'], r.get('boundary_mean', float('nan'))))")
    ratios=()
    for n in "${picks[@]}"; do
        ffmpeg -v error -y -i "$out/$name.mkv" -vf "select=eq(n\,$((n - 1)))" -frames:v 1 "$out/$name-$n.png"
        ratios+=("$("$PY" "$peers/styleloss.py" "$W" "$out/input-$n.png" "$style" "$out/$name-$n.png" \
            | python3 -c "import json, sys; print(json.load(sys.stdin)['ratio'])")")
    done
    python3 -c "import sys; r = list(map(float, sys.argv[4:])); print('%-28s warperr %s  style ratio %.3f (%s)  %s fps' % (sys.argv[1], sys.argv[2], sum(r) / len(r), ' '.join('%.3f' % x for x in r), sys.argv[3]))" \
        "$name" "$warp" "$fps" "${ratios[@]}"
}

echo "footage's own warperr: $("$PY" "$peers/warperr.py" "$clip" "$clip" --frames "$frames" | python3 -c "import json, sys; print('%.4f' % json.load(sys.stdin)['mean'])")"
name=$(basename "$model" .reconet)
fps=$(render "$name" --model "$model"); measure "$name" "$fps"
for s in ${strengths//,/ }; do
    fps=$(render "$name-stabilize-$s" --model "$model" --stabilize --stabilize-strength "$s" --stabilize-flow "$flow")
    measure "$name-stabilize-$s" "$fps"
done
if [ "$twin" != none ]; then
    tname=$(basename "$twin" .reconet)
    fps=$(render "$tname" --model "$twin"); measure "$tname" "$fps"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
