#!/usr/bin/env bash
# The long-film check of issue 22, by hand (never in CI): bigbuckbunny.mp4 looped 12 times and
# scaled to 1080p (1,584 frames, with its sound; made once into .build/long-film/), then
#   1. ffmpeg alone decodes and re-encodes it with vst's x264 settings (libx264 CRF 18, preset
#      medium, yuv420p, sound copied): the baseline;
#   2. vst-coord submit --method copy --local-workers 2 (default chunk and overlap) under
#      /usr/bin/time -v, sampling every second the job's scratch folder (du -sb, the extra disk)
#      and the RSS of the coordinator and its workers (summed over the process tree);
#   3. ffprobe counts the video frames and audio packets of the film and of both outputs.
# Prints one table. Usage: scripts/bench-long-film.sh [LOOPS] [WORKERS] [SUBMIT OPTIONS...]
# BIN=folder picks the vst-coord/vst-worker build (default: the release build, made if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
loops=${1:-12}; workers=${2:-2}; shift $(( $# > 2 ? 2 : $# ))
if [ -z "${BIN:-}" ]; then
    swift build -c release --product vst-coord >/dev/null && swift build -c release --product vst-worker >/dev/null
    BIN="$(swift build -c release --show-bin-path)"
fi
scratch=.build/long-film
mkdir -p "$scratch"
film="$scratch/bbb-x$loops-1080p.mp4"
if [ ! -s "$film" ]; then
    ffmpeg -v error -y -stream_loop $((loops - 1)) -i ../shared/media/bigbuckbunny.mp4 -vf scale=-2:1080 \
        -c:v libx264 -preset veryfast -crf 16 -pix_fmt yuv420p -c:a copy "$film.part.mp4"
    mv "$film.part.mp4" "$film"
fi
out=$(mktemp -d /tmp/vst-long-film.XXXXXX)
submit=
# A run cut short takes its submit (and so its workers) with it.
trap '[ -n "$submit" ] && { pkill -TERM -P $submit; kill $submit; } 2>/dev/null; rm -rf "$out"' EXIT

frames() { ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames -of csv=p=0 "$1"; }
packets() { ffprobe -v error -select_streams a:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }
# Sum of the RSS (KiB) of process $1 and all its descendants.
tree_rss() {
    local pids=$1 next=$1
    while [ -n "$next" ]; do
        next=$(for p in $next; do cat /proc/$p/task/*/children 2>/dev/null; done | tr '\n' ' ')
        pids="$pids $next"
    done
    for p in $pids; do awk '/^VmRSS/ {print $2}' /proc/$p/status 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}

start=$(date +%s.%N)
ffmpeg -v error -y -i "$film" -map 0:v:0 -map 0:a:0 -c:v libx264 -crf 18 -preset medium -pix_fmt yuv420p -c:a copy "$out/ffmpeg.mkv"
ffmpeg_s=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s.%N)
/usr/bin/time -v -o "$out/time.txt" "$BIN/vst-coord" submit "$film" --method copy --local-workers "$workers" \
    --out "$out/vst.mkv" "$@" 2>"$out/submit.log" &
submit=$!
peak_disk=0; peak_rss=0
while kill -0 $submit 2>/dev/null; do
    disk=$( (du -sb "$out/.vst.mkv.vst" 2>/dev/null || true) | cut -f1); disk=${disk:-0}
    [ "$disk" -gt "$peak_disk" ] && peak_disk=$disk
    pid=$(pgrep -P $submit -x vst-coord || true)
    if [ -n "$pid" ]; then rss=$(tree_rss "$pid"); [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss; fi
    sleep 1
done
wait $submit || { tail -5 "$out/submit.log"; exit 1; }
vst_s=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
max_rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$out/time.txt")
summary=$(grep -o 'peak disk .*' "$out/submit.log" | tail -1)

gib() { python3 -c "import sys; print('%.2f GiB' % (int(sys.argv[1]) / 2**30))" "$1"; }
echo "| measurement | value |"
echo "| --- | --- |"
echo "| film | $(frames "$film") frames, $(packets "$film") audio packets, $(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$film") |"
echo "| ffmpeg decode + re-encode (libx264 CRF 18 medium, sound copied) | ${ffmpeg_s} s |"
echo "| vst-coord submit --method copy --local-workers $workers $* | ${vst_s} s |"
echo "| vst / ffmpeg | $(python3 -c "import sys; print('%.2fx' % (float(sys.argv[1]) / float(sys.argv[2])))" "$vst_s" "$ffmpeg_s") |"
echo "| vst output | $(frames "$out/vst.mkv") frames, $(packets "$out/vst.mkv") audio packets |"
echo "| ffmpeg output | $(frames "$out/ffmpeg.mkv") frames, $(packets "$out/ffmpeg.mkv") audio packets |"
echo "| peak RSS, largest single process (time -v) | $(gib $((max_rss * 1024))) |"
echo "| peak RSS, coordinator + workers summed (sampled 1/s) | $(gib $((peak_rss * 1024))) |"
echo "| peak extra disk, job folder (du -sb, sampled 1/s) | $(gib "$peak_disk") |"
echo "| peak disk, the job's summary line | ${summary#peak disk } |"
echo "| output size | $(gib "$(stat -c %s "$out/vst.mkv")") |"
echo "| load average before, after | $load_before; $load_after |"
echo "| CPU | $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) vCPUs |"
