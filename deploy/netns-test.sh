#!/bin/bash
# Multi-host test of the farm on one machine: network namespaces as hosts, veth pairs as cables.
# The coordinator runs in its own namespace, three workers in three others, each joined to the
# coordinator by its own veth pair (10.77.K.1 <-> 10.77.K.2), CURVE on every link. A job runs;
# mid-job worker 1's cable is cut; the job must still finish with every frame, bit-exact.
# Nothing listens outside these namespaces: the script checks that every process it started
# runs in its namespace and that no farm address exists in the root namespace.
#
# Usage: deploy/netns-test.sh            (after `swift build`; VST_BIN overrides .build/debug)
# Needs root (or CAP_SYS_ADMIN + CAP_NET_ADMIN) for `ip netns`; without it, says so and exits 0,
# or 1 with an error line when VST_REQUIRE_FIXTURES=1 (CI must not pass without this test).
# Exit 0: passed or skipped; 1: failed. Bounded: every wait has a deadline, and the trap kills
# what the script started and deletes its namespaces.
set -euo pipefail
bin="${VST_BIN:-$(cd "$(dirname "$0")/.." && pwd)/.build/debug}"
coord="$bin/vst-coord" worker="$bin/vst-worker"
[[ -x "$coord" && -x "$worker" ]] || { echo "error: build first (no $coord or $worker)" >&2; exit 1; }

tag="vst$$"
if ! ip netns add "${tag}probe" 2>/dev/null; then
    if [ "${VST_REQUIRE_FIXTURES:-0}" = 1 ]; then
        echo "error: network namespaces are not permitted here (VST_REQUIRE_FIXTURES=1): run as root or with CAP_SYS_ADMIN and CAP_NET_ADMIN" >&2
        exit 1
    fi
    echo "SKIP: network namespaces are not permitted here (needs root or CAP_SYS_ADMIN); multi-host test not run"
    exit 0
fi
ip netns del "${tag}probe"

work="$(mktemp -d /tmp/vst-netns.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for ns in "${tag}c" "${tag}w1" "${tag}w2" "${tag}w3"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- coordinator log:" >&2; tail -n 30 "$work/coord.log" >&2 || true; exit 1; }

# Hosts and cables.
ip netns add "${tag}c"
ip -n "${tag}c" link set lo up
for k in 1 2 3; do
    ns="${tag}w$k"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "${tag}c$k" netns "${tag}c" type veth peer name "${tag}w$k" netns "$ns"
    ip -n "${tag}c" addr add "10.77.$k.1/24" dev "${tag}c$k"
    ip -n "${tag}c" link set "${tag}c$k" up
    ip -n "$ns" addr add "10.77.$k.2/24" dev "${tag}w$k"
    ip -n "$ns" link set "${tag}w$k" up
done

# Keys: the coordinator's, one for the workers, one for the submitting client.
for name in coord worker client; do "$coord" keygen --out "$work/$name" >/dev/null; done
cat "$work/worker.pub" "$work/client.pub" > "$work/authorized"

# A lossless RGB film, so that the output can be compared frame for frame with ffmpeg alone.
ffmpeg -v error -nostdin -f lavfi -i testsrc=size=160x96:rate=25 -frames:v 90 -c:v ffv1 -pix_fmt bgr0 "$work/in.mkv"

ip netns exec "${tag}c" "$coord" serve --bind tcp://*:5555 --control tcp://127.0.0.1:5556 --data "$work/data" \
    --key "$work/coord.key" --authorized "$work/authorized" --lease 3 > "$work/coord.log" 2>&1 &
pids+=($!)
for k in 1 2 3; do
    ip netns exec "${tag}w$k" "$worker" --connect "tcp://10.77.$k.1:5555" --key "$work/worker.key" \
        --server-key "$work/coord.pub" --threads 1 > "$work/worker$k.log" 2>&1 &
    pids+=($!)
done

client() { ip netns exec "${tag}c" "$coord" "$@" --coordinator tcp://127.0.0.1:5556 --key "$work/client.key" --server-key "$work/coord.pub"; }
deadline=$((SECONDS + 20))
until [[ $(grep -c " joined " "$work/coord.log" || true) -ge 3 ]]; do
    (( SECONDS < deadline )) || fail "three workers did not join in 20 s"
    sleep 0.2
done
job=$(client submit "$work/in.mkv" --method sleep:100 --lossless --chunk 10 --overlap 2 --detach --out "$work/out.mkv")
echo "job $job submitted: 90 frames, 3 workers in 3 namespaces"

# Cut worker 1's cable once it has delivered some frames.
deadline=$((SECONDS + 30))
until ls "$work/data/jobs/$job/frames/" 2>/dev/null | grep -q '\.rgb\.lz4$' && [[ $(ls "$work/data/jobs/$job/frames" | wc -l) -ge 6 ]]; do
    (( SECONDS < deadline )) || fail "no frames stored in 30 s"
    sleep 0.05
done
ip -n "${tag}w1" link set "${tag}w1" down
echo "cut worker 1's link"

deadline=$((SECONDS + 120))
while true; do
    line=$(client status "$job" | sed -n 2p)
    case "$line" in
        *$'\t'done$'\t'*) break ;;
        *$'\t'failed$'\t'*|*$'\t'cancelled$'\t'*) fail "job ended: $line" ;;
    esac
    (( SECONDS < deadline )) || fail "job not done in 120 s: $line"
    sleep 0.5
done
grep -q "silent past its lease" "$work/coord.log" || fail "the cut worker's lease never ran out"

# Every frame exactly once, bit-exact; and nothing reachable from outside the namespaces.
md5() { ffmpeg -v error -nostdin -i "$1" -map 0:v -pix_fmt rgb24 -f framemd5 - | grep -v '^#' | awk -F, '{print $NF}'; }
[[ "$(md5 "$work/in.mkv")" == "$(md5 "$work/out.mkv")" ]] || fail "output frames differ from the input"
[[ $(md5 "$work/out.mkv" | wc -l) -eq 90 ]] || fail "output does not have 90 frames"
# (A TCP probe from the root namespace proves nothing where a sandbox proxies every outbound
# connection, so check where the processes and addresses live instead.)
[[ "$(ip netns identify "${pids[0]}")" == "${tag}c" ]] || fail "the coordinator is not in its namespace"
for k in 1 2 3; do [[ "$(ip netns identify "${pids[$k]}")" == "${tag}w$k" ]] || fail "worker $k is not in its namespace"; done
if ip -o addr show | grep -q ' 10\.77\.'; then fail "a farm address leaked into the root namespace"; fi
echo "PASS: job done with all 90 frames bit-exact after a worker's link was cut; traffic stayed in the namespaces"
