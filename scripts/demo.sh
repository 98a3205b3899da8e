#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then styles a clip with an embedded coordinator and two local
# workers, and prints ffprobe's summary of the result (out/demo.mkv).
#
# The clip is ../shared/media/bigbuckbunny.mp4 when that folder is there; on a fresh machine a
# 5-second test pattern with a tone is made with the ffmpeg CLI instead.
#
# The method is `copy` (output frame = input frame: the whole farm runs, no styling) until the
# engine lands; then this switches to `--method gatys --style ...`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
bin="$(swift build -c "${VST_CONFIGURATION:-release}" --show-bin-path)"

mkdir -p out
input=../shared/media/bigbuckbunny.mp4
if [ ! -f "$input" ]; then
    input=out/demo-input.mp4
    if [ ! -f "$input" ]; then
        echo "demo: ../shared is absent; making a test clip with sound at $input"
        ffmpeg -v error -y -f lavfi -i testsrc=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
            -t 5 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$input"
    fi
fi

"$bin/vst-coord" submit "$input" --method copy --local-workers 2 --out out/demo.mkv
echo "demo: wrote out/demo.mkv"
ffprobe -v error -count_packets -show_entries format=filename,duration,size:stream=index,codec_type,codec_name,width,height,r_frame_rate,nb_read_packets \
    -of default=noprint_wrappers=0 out/demo.mkv
