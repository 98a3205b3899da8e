#!/usr/bin/env bash
# Seams and static background of the two gatys hand-overs (docs/benchmarks.md, "Hand-overs"):
# renders one clip with `--handover stitch` (overlap, stitch, seam tasks) and with
# `--handover keyframe`, same options otherwise, then measures each with the independent
# warping error at the chunk starts (../shared/peers/warperr.py --boundaries), with `vst eval`
# (chunk starts and hand-over frames against the frames inside the chunks), and the static
# pixels' steps (../shared/peers/static_steps.py).
#
# usage: scripts/bench-handover.sh INPUT OUTDIR [extra submit options...]
# env:   BIN (release binaries, default .build/release), HEIGHT (160), FRAMES (24), START (0),
#        CHUNK (8), OVERLAP (3), STYLE (../shared/media/starry_night.jpg), PY (/tmp/peers/venv/bin/python),
#        HANDOVERS ("stitch keyframe": which to run)
set -euo pipefail
input=$1; out=$2; shift 2
BIN=${BIN:-.build/release}; HEIGHT=${HEIGHT:-160}; FRAMES=${FRAMES:-24}; START=${START:-0}
CHUNK=${CHUNK:-8}; OVERLAP=${OVERLAP:-3}; STYLE=${STYLE:-../shared/media/starry_night.jpg}
PY=${PY:-/tmp/peers/venv/bin/python}; peers=$(dirname "$0")/../../shared/peers
[ -d "$peers" ] || peers=/work/shared/peers
mkdir -p "$out"
# The input slice as its own lossless film, so every measure reads the same frames.
ffmpeg -v error -y -i "$input" -vf "select=gte(n\,$START),scale=-2:$HEIGHT,setpts=N/FRAME_RATE/TB" -frames:v "$FRAMES" \
    -an -c:v libx264 -qp 0 -pix_fmt yuv420p "$out/input.mkv"
boundaries=$(seq -s, "$CHUNK" "$CHUNK" $((FRAMES - 1)))
for handover in ${HANDOVERS:-stitch keyframe}; do
    start=$(date +%s)
    /usr/bin/time -f "%U %S" -o "$out/$handover.time" "$BIN/vst-coord" submit "$out/input.mkv" --style "$STYLE" --frames "$FRAMES" \
        --chunk "$CHUNK" --overlap "$OVERLAP" --local-workers 2 --lossless --handover "$handover" "$@" --out "$out/$handover.mkv" > "$out/$handover.log" 2>&1
    read -r user sys < "$out/$handover.time"
    echo "{\"handover\": \"$handover\", \"wall_s\": $(( $(date +%s) - start )), \"user_s\": $user, \"sys_s\": $sys}"
    echo -n "warperr: "; "$PY" "$peers/warperr.py" "$out/input.mkv" "$out/$handover.mkv" --boundaries "$boundaries" | tail -1
    # Stitch: the overlap and seam tail count as hand-over frames; keyframe: the held frames.
    tail=$([ "$handover" = stitch ] && echo "$OVERLAP" || echo 0)
    tail=$(( tail > CHUNK - OVERLAP ? CHUNK - OVERLAP : tail ))
    echo "vst eval:"; "$BIN/vst" eval "$out/input.mkv" "$out/$handover.mkv" --chunk "$CHUNK" --overlap "$OVERLAP" --seam-tail "$tail" \
        --plot "$out/$handover.warping.png" | sed 's/^/    /'
    echo -n "static_steps: "; "$PY" "$peers/static_steps.py" "$out/input.mkv" "$out/$handover.mkv"
done
