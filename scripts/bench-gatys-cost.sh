#!/usr/bin/env bash
# The cost check of issue 20, by hand (never in CI): one coherent Gatys job, the SAME vst-coord
# submit command line run with an old build (default commit 75e898b) and with this tree, then
#   - CPU seconds of the whole process tree: /usr/bin/time on the submit, which starts its local
#     vst-worker processes as its own children (Foundation Process, LocalWorkers.swift) and reaps
#     them before it exits, so their user+sys time is in the submit's children's rusage;
#   - the warping error of the styled film (../shared/peers/warperr.py mean, OpenCV DeepFlow);
#   - the style loss of two frames against the painting (../shared/peers/styleloss.py ratio,
#     summed over the two frames: a chunk's first frame and a warm-started one), and its mean
#     over every frame (a line under the table; two frames alone cannot tell 1.04x from 1.06x);
# and prints one table with the new/old ratios (the issue's goal: CPU <= 0.25x, warping error
# <= 1.1x, style loss <= 1.05x).
#
# Usage: scripts/bench-gatys-cost.sh [options] [-- SUBMIT OPTIONS FOR THE NEW BUILD ONLY]
#   --old COMMIT     the old build's commit (default 75e898b)
#   --old-bin DIR    reuse these old vst-coord/vst-worker binaries instead of building COMMIT
#   --new-bin DIR    reuse these binaries for the new build (default: this tree's release build)
#   --height H       output height (default 160; 360 for the 640x360 figure)
#   --clip FILE      input film (default ../shared/media/tears_of_steel_excerpt_640x360.mp4)
#   --from N         first frame of the clip to use (default 100: the clip moves there)
#   --frames N       frames (default 16); --chunk, --overlap as the issue's job (8, 2)
#   --style FILE     painting (default ../shared/media/starry_night.jpg)
#   --timeout S      limit of each submit in seconds (default 3600)
#   --rerun-old      run the old build again instead of reusing its cached result
#   --keep DIR       keep the new build's styled film, submit log (each frame's iterations) and figures in DIR
# Options after -- go to the NEW build's submit only (for the quality-vs-CPU curve); leave them
# out for the issue's comparison, where both builds run one command line.
# The old commit is built (release) in a git worktree under $VST_BENCH_CACHE (default
# ~/.cache/vst-bench-gatys-cost) and reused; so is the old build's result for the same clip, frames,
# size and painting (the render is deterministic; its CPU time came from the run that made it).
# Needs the peers venv (PY, default /tmp/peers/venv/bin/python; W, default /tmp/peers/vgg16_features.pth).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
old=75e898b; old_bin=; new_bin=; height=160; clip=../shared/media/tears_of_steel_excerpt_640x360.mp4
from=100; frames=16; chunk=8; overlap=2; style=../shared/media/starry_night.jpg; limit=3600; rerun_old=0; keep=
while [ $# -gt 0 ]; do
    case $1 in
        --old) old=$2; shift 2 ;;
        --old-bin) old_bin=$2; shift 2 ;;
        --new-bin) new_bin=$2; shift 2 ;;
        --height) height=$2; shift 2 ;;
        --clip) clip=$2; shift 2 ;;
        --from) from=$2; shift 2 ;;
        --frames) frames=$2; shift 2 ;;
        --chunk) chunk=$2; shift 2 ;;
        --overlap) overlap=$2; shift 2 ;;
        --style) style=$2; shift 2 ;;
        --timeout) limit=$2; shift 2 ;;
        --rerun-old) rerun_old=1; shift ;;
        --keep) keep=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "error: unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
done
new_only=("$@")
PY=${PY:-/tmp/peers/venv/bin/python}; W=${W:-/tmp/peers/vgg16_features.pth}
[ -x "$PY" ] && [ -s "$W" ] || { echo "error: the peers venv ($PY, $W) is missing" >&2; exit 1; }
cache=${VST_BENCH_CACHE:-$HOME/.cache/vst-bench-gatys-cost}
mkdir -p "$cache"
clip=$(realpath "$clip"); style=$(realpath "$style")

# The old build: a detached worktree of the commit, release, made once.
if [ -z "$old_bin" ]; then
    full=$(git rev-parse --verify "$old^{commit}")
    tree="$cache/$(git rev-parse --short "$full")"
    [ -d "$tree" ] || git worktree add --detach "$tree" "$full" >/dev/null
    (cd "$tree" && swift build -c release --product vst-coord >/dev/null && swift build -c release --product vst-worker >/dev/null)
    old_bin=$(cd "$tree" && swift build -c release --show-bin-path)
    [ -s "$tree/models/vgg16.vstw" ] || { mkdir -p "$tree/models" && cp models/vgg16.vstw "$tree/models/"; }
fi
if [ -z "$new_bin" ]; then
    swift build -c release --product vst-coord >/dev/null && swift build -c release --product vst-worker >/dev/null
    new_bin=$(swift build -c release --show-bin-path)
fi

# The frames used, cut once into a lossless film so that both builds and warperr.py read the same.
excerpt="$cache/excerpt-$(basename "${clip%.*}")-$from-$frames.mkv"
if [ ! -s "$excerpt" ]; then
    ffmpeg -v error -y -i "$clip" -vf "select=gte(n\,$from)" -frames:v "$frames" -c:v ffv1 -an "$excerpt.part.mkv"
    mv "$excerpt.part.mkv" "$excerpt"
fi
# Style loss frames: a chunk's first frame (0) and a warm-started frame of the second chunk.
probe=(0 $((chunk + 3 < frames ? chunk + 3 : frames - 1)))

work=$(mktemp -d /tmp/vst-gatys-cost.XXXXXX)
running=
# A run cut short takes its submit (and so its workers, in timeout's process group) with it.
trap '[ -n "$running" ] && kill -TERM $running 2>/dev/null; rm -rf "$work"' EXIT

# run NAME BIN RESULT_DIR [EXTRA...]: the job, timed; leaves styled.mkv and cpu.txt in RESULT_DIR.
run() {
    local name=$1 bin=$2 dir=$3; shift 3
    mkdir -p "$dir"
    local models; models=$(realpath models)
    echo "$name: $bin/vst-coord submit ... $*" >&2
    # VST_MODELS: both builds read this tree's VGG weights.
    VST_MODELS=$models /usr/bin/time -f "%U %S %e" -o "$dir/cpu.txt" \
        timeout -k 30 "$limit" "$bin/vst-coord" submit "$excerpt" --style "$style" --height "$height" --frames "$frames" \
        --chunk "$chunk" --overlap "$overlap" --local-workers 2 --out "$dir/styled.mkv" "$@" >"$dir/submit.log" 2>&1 &
    running=$!
    wait $running || { echo "error: $name's submit failed (log: $dir/submit.log)" >&2; cat "$dir/submit.log" >&2; exit 1; }
    running=
}

# frame_ratio DIR K: styleloss.py's ratio for frame K of DIR/styled.mkv against the same input frame.
frame_ratio() {
    local dir=$1 k=$2
    ffmpeg -v error -y -i "$dir/styled.mkv" -vf "select=eq(n\,$k)" -frames:v 1 "$work/out-$k.png"
    ffmpeg -v error -y -i "$excerpt" -vf "select=eq(n\,$k)" -frames:v 1 "$work/in-$k.png"
    "$PY" ../shared/peers/styleloss.py "$W" "$work/in-$k.png" "$style" "$work/out-$k.png" \
        | "$PY" -c "import json,sys; print(json.load(sys.stdin)['ratio'])"
}

# measure DIR: warperr mean and the summed style loss ratio of the probe frames, into DIR/quality.txt.
measure() {
    local dir=$1 warp loss=0 k r
    warp=$("$PY" ../shared/peers/warperr.py "$excerpt" "$dir/styled.mkv" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['mean'])")
    for k in "${probe[@]}"; do
        r=$(frame_ratio "$dir" "$k")
        loss=$("$PY" -c "print($loss + $r)")
    done
    echo "$warp $loss" >"$dir/quality.txt"
}

# style_all DIR: the mean style loss ratio over every frame of DIR/styled.mkv, into DIR/style-all.txt
# (made once per result: two frames are too few to tell configurations 5 % apart).
style_all() {
    local dir=$1 sum=0 k r
    [ -s "$dir/style-all.txt" ] && return
    for k in $(seq 0 $((frames - 1))); do
        r=$(frame_ratio "$dir" "$k")
        sum=$("$PY" -c "print($sum + $r)")
    done
    "$PY" -c "print($sum / $frames)" >"$dir/style-all.txt"
}

key=$(echo "$old_bin $excerpt $height $chunk $overlap $style" | sha256sum | cut -c1-12)
old_dir="$cache/result-$key"
if [ "$rerun_old" = 1 ] || [ ! -s "$old_dir/quality.txt" ]; then
    rm -rf "$old_dir"
    run old "$old_bin" "$old_dir.part"
    measure "$old_dir.part"
    mv "$old_dir.part" "$old_dir"
else
    echo "old: reusing $old_dir (--rerun-old runs it again)" >&2
fi
run new "$new_bin" "$work/new" "${new_only[@]}"
measure "$work/new"
style_all "$old_dir"
style_all "$work/new"
if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$work/new/styled.mkv" "$work/new/submit.log" "$work/new/cpu.txt" "$work/new/quality.txt" "$work/new/style-all.txt" "$keep/"; fi

read -r ou os _ <"$old_dir/cpu.txt"; read -r nu ns _ <"$work/new/cpu.txt"
read -r ow ol <"$old_dir/quality.txt"; read -r nw nl <"$work/new/quality.txt"
echo "# $(basename "$clip") frames $from+$frames, height $height, chunk $chunk, overlap $overlap, $(basename "$style");" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ ${#new_only[@]} -gt 0 ] && echo "# new build only: ${new_only[*]}"
"$PY" - "$frames" "$ou" "$os" "$ow" "$ol" "$nu" "$ns" "$nw" "$nl" <<'EOF'
import sys
n = int(sys.argv[1]); ou, os_, ow, ol, nu, ns, nw, nl = map(float, sys.argv[2:])
old, new = ou + os_, nu + ns
print("| build | CPU s (user+sys) | CPU s/frame | ratio | warperr mean | ratio | style loss (2 frames) | ratio |")
print("|---|---|---|---|---|---|---|---|")
print(f"| old | {old:.0f} ({ou:.0f}+{os_:.0f}) | {old / n:.1f} | 1 | {ow:.5f} | 1 | {ol:.4f} | 1 |")
print(f"| new | {new:.0f} ({nu:.0f}+{ns:.0f}) | {new / n:.1f} | {new / old:.3f} | {nw:.5f} | {nw / ow:.3f} | {nl:.4f} | {nl / ol:.3f} |")
EOF
read -r oa <"$old_dir/style-all.txt"; read -r na <"$work/new/style-all.txt"
"$PY" -c "print(f'style loss ratio, mean over all $frames frames: old {$oa:.4f}, new {$na:.4f}, new/old {$na / $oa:.3f}')"
