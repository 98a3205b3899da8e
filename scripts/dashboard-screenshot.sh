#!/bin/sh
# By hand, not in CI: a real job on loopback (serve --http, two workers, a sleep:150 job on
# ../shared's clip) and a headless Chromium screenshot of its page mid-job, written to
# docs/images/dashboard-job.png. Needs Debian's chromium package and a debug build.
set -eu
cd "$(dirname "$0")/.."
bin=.build/debug
clip=${1:-../shared/media/bigbuckbunny.mp4}
work=$(mktemp -d)
trap 'kill $workers $serve 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/vst-coord" serve --bind tcp://127.0.0.1:7555 --control tcp://127.0.0.1:7556 --data "$work/data" \
    --insecure --http :8080 2>"$work/serve.log" & serve=$!
sleep 1
workers=""
for i in 1 2; do "$bin/vst-worker" --connect tcp://127.0.0.1:7555 --insecure 2>"$work/worker$i.log" & workers="$workers $!"; done
job=$("$bin/vst-coord" submit "$clip" --method sleep:${3:-400} --height 270 --chunk 16 --overlap 4 \
    --coordinator tcp://127.0.0.1:7556 --insecure --detach --out "$work/out.mkv")
sleep "${2:-10}"
mkdir -p docs/images
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=3000 \
    --screenshot=docs/images/dashboard-job.png --window-size=1280,900 "http://127.0.0.1:8080/jobs/$job"
curl -s "http://127.0.0.1:8080/api/jobs/$job" | head -c 400; echo
