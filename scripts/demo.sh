#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then styles 24 frames of a clip by coherent Gatys (the default
# method) with an embedded coordinator and two local workers in two chunks, prints ffprobe's
# summary of the result (out/demo.mkv) and its warping error (vst eval; plot in
# out/demo-warping.png).
#
# The clip is ../shared/media/bigbuckbunny.mp4 and the style starry_night.jpg when ../shared is
# there; on a fresh machine a 5-second test pattern with a tone and a Mandelbrot picture are made
# with the ffmpeg CLI instead. Small on purpose (144 px high, 30 iterations for a chunk's first
# frame, 15 for the others) so that it finishes in minutes on two cores; raise --height and the
# iterations for a real film.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
bin="$(swift build -c "${VST_CONFIGURATION:-release}" --show-bin-path)"

mkdir -p out
input=../shared/media/bigbuckbunny.mp4
style=../shared/media/starry_night.jpg
if [ ! -f "$style" ]; then
    style=out/demo-style.png
    [ -f "$style" ] || ffmpeg -v error -y -f lavfi -i mandelbrot=size=320x240 -frames:v 1 "$style"
fi
if [ ! -f "$input" ]; then
    input=out/demo-input.mp4
    if [ ! -f "$input" ]; then
        echo "demo: ../shared is absent; making a test clip with sound at $input"
        ffmpeg -v error -y -f lavfi -i testsrc=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
            -t 5 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$input"
    fi
fi

"$bin/vst-coord" submit "$input" --style "$style" --height 144 --start 40 --frames 24 --chunk 12 --overlap 4 \
    --iters 30 --iters-next 15 --local-workers 2 --out out/demo.mkv
echo "demo: wrote out/demo.mkv"
ffprobe -v error -count_packets -show_entries format=filename,duration,size:stream=index,codec_type,codec_name,width,height,r_frame_rate,nb_read_packets \
    -of default=noprint_wrappers=0 out/demo.mkv
"$bin/vst" eval "$input" out/demo.mkv --start 40 --chunk 12 --overlap 4 --plot out/demo-warping.png
