#!/usr/bin/env bash
# The AVX-512 kernels against the AVX2 floor and PyTorch, in one run, by hand (never in CI):
# `vst bench gatys --size 512x288` and `vst bench reconet-frame --size 640x360`, each with the
# path the CPU picks and with VST_KERNELS=avx2, alternating, ROUNDS times; PyTorch's Gatys
# iteration and ReCoNet inference (the peers in ../shared/peers, when /tmp/peers is set up) in
# between. Both sides get the malloc settings the peers' README recommends for PyTorch.
# Prints every JSON line, then the medians and the ratios. Usage: scripts/bench-kernels.sh [ROUNDS] [THREADS]
# The release build (built if missing), or the binaries in VST_BIN=DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-2}
bin=${VST_BIN:-$(swift build -c release --show-bin-path)}
[ -x "$bin/vst" ] || swift build -c release --product vst >&2
export MALLOC_MMAP_THRESHOLD_=17179869184 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=1073741824
log=$(mktemp)
trap 'rm -f "$log"' EXIT
PY=/tmp/peers/venv/bin/python; W=/tmp/peers/vgg16_features.pth; F=/tmp/peers/frames
peers=false
[ -x "$PY" ] && [ -f "$W" ] && peers=true

grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /# cpu: /'
echo "# avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$rounds"); do
    for path in auto avx2; do
        if [ $path = avx2 ]; then export VST_KERNELS=avx2; else unset VST_KERNELS; fi
        "$bin/vst" bench gatys --size 512x288 --repeats 3 --threads "$threads" | sed "s/^{/{\"path\":\"$path\",/" | tee -a "$log"
        "$bin/vst" bench reconet-frame --size 640x360 --repeats 3 --threads "$threads" | sed "s/^{/{\"path\":\"$path\",/" | tee -a "$log"
    done
    unset VST_KERNELS
    if $peers; then
        $PY ../shared/peers/gatys_torch.py --weights $W --content $F/tears/0061.png --style $F/bbb/0041.png \
            --sizes 512x288 --threads "$threads" --runs 3 --channels-last --no-lbfgs 2>/dev/null \
            | sed 's/^{/{"path":"pytorch_gatys",/' | tee -a "$log"
        $PY ../shared/peers/reconet_torch.py --weights $W --frames $F/tears/0061.png $F/tears/0062.png \
            --style $F/bbb/0041.png --infer-sizes 640x360 --threads "$threads" --runs 3 --no-train --channels-last 2>/dev/null \
            | sed 's/^{/{"path":"pytorch_reconet",/' | tee -a "$log"
    fi
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$log" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def med(path, bench, key="seconds"):
    v = [r[key] for r in rows if r.get("path") == path and r.get("bench") == bench and r.get(key) is not None]
    return statistics.median(v) if v else None
def torch(path, key="min_s"):
    # The peer's per-round best (min_s), like vst's best-of-repeats; its median_s is kept beside it.
    v = [r[key] for r in rows if r.get("path") == path and r.get("measurement") in ("iteration", "inference")
         and isinstance(r.get(key), (int, float))]
    return statistics.median(v) if v else None
out = {
    "gatys_avx512_s": med("auto", "gatys_iteration"), "gatys_avx2_s": med("avx2", "gatys_iteration"),
    "reconet_avx512_s": med("auto", "reconet_frame"), "reconet_avx2_s": med("avx2", "reconet_frame"),
    "pytorch_gatys_s": torch("pytorch_gatys"), "pytorch_reconet_s": torch("pytorch_reconet"),
    "pytorch_gatys_median_of_runs_s": torch("pytorch_gatys", "median_s"),
    "pytorch_reconet_median_of_runs_s": torch("pytorch_reconet", "median_s"),
}
r = lambda a, b: round(out[a] / out[b], 3) if out[a] and out[b] else None
out["gatys_avx2_over_avx512"] = r("gatys_avx2_s", "gatys_avx512_s")
out["reconet_avx2_over_avx512"] = r("reconet_avx2_s", "reconet_avx512_s")
out["gatys_pytorch_over_vst"] = r("pytorch_gatys_s", "gatys_avx512_s")
out["reconet_pytorch_over_vst"] = r("pytorch_reconet_s", "reconet_avx512_s")
print(json.dumps({"summary": "medians over rounds", **out}))
PY
