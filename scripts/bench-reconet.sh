#!/usr/bin/env bash
# ReCoNet speed in one run, by hand (never in CI): one frame through the network (vst bench), the
# whole film path through `vst-coord submit` with one local worker (decode, render, encode, join;
# frames over wall time of the whole process), and PyTorch's inference of the same network when
# the peers are set up (bash ../shared/peers/setup.sh /tmp/peers). Then the warping error of the
# styled clip (vst eval). Usage: scripts/bench-reconet.sh [FRAMES] [MODEL]
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-48}
model=${2:-models/starry.reconet}
bin="$(swift build -c release --show-bin-path)"
clip=../shared/media/tears_of_steel_excerpt_640x360.mp4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin/vst" bench reconet-frame --size 640x360 --repeats 3 --model "$model"
start=$(date +%s.%N)
"$bin/vst-coord" submit "$clip" --method reconet --model "$model" --frames "$frames" --local-workers 1 \
    --out "$out/styled.mkv" 2>/dev/null
end=$(date +%s.%N)
python3 -c "import sys; f, s = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print('{\"bench\": \"reconet_submit\", \"size\": \"640x360\", \"frames\": %d, \"seconds\": %.2f, \"frames_per_second\": %.3f}' % (f, s, f / s))" "$frames" "$start" "$end"
if [ -x /tmp/peers/venv/bin/python ]; then
    F=/tmp/peers/frames
    MALLOC_MMAP_THRESHOLD_=17179869184 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824 \
        /tmp/peers/venv/bin/python ../shared/peers/reconet_torch.py --weights /tmp/peers/vgg16_features.pth \
        --frames $F/tears/0061.png $F/tears/0062.png --style $F/bbb/0041.png --infer-sizes 640x360 \
        --threads 2 --runs 5 --no-train --channels-last 2>/dev/null
fi
"$bin/vst" eval "$clip" "$out/styled.mkv" --chunk 32 --overlap 0
