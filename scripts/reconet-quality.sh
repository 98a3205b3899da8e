#!/usr/bin/env bash
# Issue 7's two quality figures for a ReCoNet model and its --no-temporal twin, by hand (never in
# CI; a few minutes, plus about 5 for --gatys):
#  - warping error (Lai et al. 2018) of both models' renders of the first FRAMES frames of
#    tears_of_steel, which neither saw in training, through `vst-coord submit` and `vst eval`;
#  - style loss of frame 100 of that clip at 384x216 on the objective the networks were trained
#    on (content relu3_3, style relu1_2..relu4_3, the style picture at 256 px wide, content and
#    style weighted by the model's own first-batch normalisers), and with --gatys, what Gatys'
#    L-BFGS reaches on the same objective from the content.
# The losses are printed by `vst stylize --init PICTURE --iters 1`: its closing line gives the loss
# of PICTURE itself, before the step, left of each arrow.
# Usage: scripts/reconet-quality.sh [--gatys ITERS] [--frames N] [--keep DIR] [MODEL [TWIN]]
set -euo pipefail
cd "$(dirname "$0")/.."
gatys=0 frames=48 keep=""
while [ $# -gt 0 ]; do
    case $1 in
        --gatys) gatys=$2; shift 2 ;;
        --frames) frames=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        *) break ;;
    esac
done
model=${1:-models/starry.reconet}
twin=${2:-models/reference/starry-johnson.reconet}
bin="$(swift build -c release --show-bin-path)"
clip=../shared/media/tears_of_steel_excerpt_640x360.mp4
style=../shared/media/starry_night.jpg
out=${keep:-$(mktemp -d)}
mkdir -p "$out"
[ -n "$keep" ] || trap 'rm -rf "$out"' EXIT

# The trainer's normalisers live in the model file's training settings (JSON header).
normalizers() {
    python3 - "$1" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
start = data.index(b"{")
meta, _ = json.JSONDecoder().raw_decode(data[start:].decode("utf-8", "replace"))
t = meta["metadata"]["training"]
print(t["contentNormalizer"], t["styleNormalizer"], t.get("styleWeight", "5.0"), t.get("contentWeight", "1.0"))
PY
}
read -r nc ns sw cw < <(normalizers "$model")
# content weight cw/nc against style sw/ns, written as content 1 : style (sw/ns)/(cw/nc).
ratio=$(python3 -c "import sys; nc, ns, sw, cw = map(float, sys.argv[1:]); print('%.6g' % ((sw / ns) / (cw / nc)))" "$nc" "$ns" "$sw" "$cw")
objective=(--content-layers relu3_3 --style-layers relu1_2,relu2_2,relu3_3,relu4_3 --style-scale 0.6666667
           --content-weight 1 --style-weight "$ratio" --size 384 --style "$style")
echo "objective: content relu3_3 weight 1, style relu1_2..relu4_3 weight $ratio (normalisers Nc $nc, Ns $ns)"

ffmpeg -v error -y -i "$clip" -vf 'select=eq(n\,99)' -frames:v 1 "$out/0100.png"
losses() {  # losses PICTURE: PICTURE's own losses, from a one-iteration run started from it
    "$bin/vst" stylize "$out/0100.png" "${objective[@]}" --init "$1" --iters 1 \
        --out "$out/scratch.png" 2>&1 | sed -n 's/^done:.*style loss \([^ ]*\) -> .*content loss \([^ ]*\) -> .*total \([^ ]*\) -> .*/style \1 content \2 total \3/p'
}
echo "frame 100 itself: $(losses "$out/0100.png")"
for m in "$model" "$twin"; do
    name=$(basename "$m" .reconet)
    "$bin/vst" stylize "$out/0100.png" --model "$m" --size 384 --out "$out/$name-0100.png" 2>/dev/null
    echo "$name: $(losses "$out/$name-0100.png")"
done
if [ "$gatys" -gt 0 ]; then
    "$bin/vst" stylize "$out/0100.png" "${objective[@]}" --iters "$gatys" --print-every 10 \
        --out "$out/gatys-0100.png" 2>&1 | sed -n "s/^done:.*style loss [^ ]* -> \([^,]*\), content loss [^ ]* -> \([^,]*\), total [^ ]* -> \(.*\)/gatys $gatys iterations: style \1 content \2 total \3/p"
    # The saved 8-bit picture, evaluated afresh: what a user of the render actually gets.
    echo "gatys picture as saved: $(losses "$out/gatys-0100.png")"
fi

for m in "$model" "$twin"; do
    name=$(basename "$m" .reconet)
    "$bin/vst-coord" submit "$clip" --method reconet --model "$m" --frames "$frames" --local-workers 1 \
        --out "$out/$name.mkv" 2>/dev/null
done
"$bin/vst" eval "$clip" "$out/$(basename "$model" .reconet).mkv" --baseline "$out/$(basename "$twin" .reconet).mkv" \
    --chunk 32 --overlap 0 --plot "$out/twin-warping.png"
