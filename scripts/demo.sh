#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then styles 24 frames of a clip by coherent Gatys (the default
# method) with an embedded coordinator and two local workers in two chunks, prints ffprobe's
# summary of the result (out/demo.mkv) and its warping error (vst eval; plot in
# out/demo-warping.png).
#
# The clip and the painting ship in examples/ (Big Buck Bunny, CC BY 3.0, and The Starry Night,
# public domain; examples/SOURCES.md), so a fresh clone needs nothing beside it. Small on purpose
# (144 px high, 30 iterations for a chunk's first frame, 15 for the others) so that it finishes
# in minutes on two cores; raise --height and the iterations for a real film.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
bin="$(swift build -c "${VST_CONFIGURATION:-release}" --show-bin-path)"

mkdir -p out
input=examples/bigbuckbunny.mp4
style=examples/starry_night.jpg

"$bin/vst-coord" submit "$input" --style "$style" --height 144 --start 40 --frames 24 --chunk 12 --overlap 4 \
    --iters 30 --iters-next 15 --local-workers 2 --out out/demo.mkv
echo "demo: wrote out/demo.mkv"
ffprobe -v error -count_packets -show_entries format=filename,duration,size:stream=index,codec_type,codec_name,width,height,r_frame_rate,nb_read_packets \
    -of default=noprint_wrappers=0 out/demo.mkv
"$bin/vst" eval "$input" out/demo.mkv --start 40 --chunk 12 --overlap 4 --plot out/demo-warping.png
echo "demo: the styled clip is $(pwd)/out/demo.mkv, its warping-error plot $(pwd)/out/demo-warping.png"
