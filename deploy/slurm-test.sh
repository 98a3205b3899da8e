#!/bin/bash
# Slurm, run for real: a one-node Slurm cluster on this machine (Debian 12's slurm-wlm and
# munge), `vst-coord serve` on 127.0.0.1, and deploy/slurm/vst-workers.sbatch submitted as an
# array of workers exactly as docs/operations.md ("Slurm") tells a user to. A job runs; mid-job
# array task 1 is scancelled; the job must still finish with every frame, bit-exact, and the
# cancelled worker's log must show it handed its chunk back on Slurm's SIGTERM.
#
# Usage: deploy/slurm-test.sh   (after `swift build`; VST_BIN overrides .build/debug)
#   SLURM_TEST_TASKS=N (array tasks, default 2), SLURM_TEST_FRAMES=N (default 60),
#   SLURM_TEST_FRAME_MS=MS (each frame of the sleep method, default 300): the benchmark in
#   docs/benchmarks.md ran with 4 and 250.
# Needs root: it installs slurm-wlm and munge with apt-get when they are missing and runs
# munged, slurmctld and slurmd. Where that cannot be done it says SKIP with the reason and exits
# 0, or 1 with an error line when VST_REQUIRE_FIXTURES=1 (CI must not pass without this test).
# Everything lives in one temporary folder: munge's key and socket, slurm.conf, Slurm's state,
# the farm. Slurm's own default KillWait (30 s between scancel's SIGTERM and its SIGKILL) is
# kept, since that is what the sbatch's --stop-grace must fit. Bounded: every wait has a
# deadline, and the trap cancels the array and stops every process the script started.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${VST_BIN:-$root/.build/debug}"
coord="$bin/vst-coord" worker="$bin/vst-worker"
[[ -x "$coord" && -x "$worker" ]] || { echo "error: build first (no $coord or $worker)" >&2; exit 1; }
tasks="${SLURM_TEST_TASKS:-2}" frames="${SLURM_TEST_FRAMES:-60}" frame_ms="${SLURM_TEST_FRAME_MS:-300}"
[[ "$tasks" =~ ^[0-9]+$ && "$tasks" -ge 2 ]] || { echo "error: SLURM_TEST_TASKS must be at least 2 (one is cancelled)" >&2; exit 2; }

skip() {
    if [ "${VST_REQUIRE_FIXTURES:-0}" = 1 ]; then
        echo "error: $1 (VST_REQUIRE_FIXTURES=1): the Slurm test cannot run" >&2
        exit 1
    fi
    echo "SKIP: $1; Slurm test not run"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "not root (munged, slurmctld and slurmd need it, and apt-get to install them)"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
    echo "installing slurm-wlm and munge with apt-get"
    install() { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge; }
    apt_log="$(mktemp /tmp/vst-slurm-apt.XXXXXX)"
    # A fresh machine's package lists may be missing or stale: update once when the first try fails.
    if ! install >"$apt_log" 2>&1 && ! { apt-get update -qq && install; } >>"$apt_log" 2>&1; then
        reason="$(tail -n 1 "$apt_log")"
        rm -f "$apt_log"
        skip "apt-get install slurm-wlm munge failed ($reason)"
    fi
    rm -f "$apt_log"
fi
for tool in ffmpeg ffprobe setpriv ss; do command -v "$tool" >/dev/null || skip "$tool is not installed"; done
id munge >/dev/null 2>&1 || skip "there is no munge user (the munge package makes it)"

work="$(mktemp -d /tmp/vst-slurm.XXXXXX)"
chmod 711 "$work"   # munged runs as munge and must reach its folder inside
pids=() array=""
export SLURM_CONF="$work/slurm/slurm.conf"
cleanup() {
    set +e
    if [ -n "$array" ]; then
        # scancel sends SIGTERM and, after KillWait, SIGKILL: the workers are gone within it.
        scancel "$array" 2>/dev/null
        local deadline=$((SECONDS + 40))
        while [ -n "$(squeue -h -j "$array" 2>/dev/null)" ] && (( SECONDS < deadline )); do sleep 0.5; done
    fi
    for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null; done
    local deadline=$((SECONDS + 10))
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    for log in "$work"/coord.log "$work"/slurm/*.log "$work"/jobs/*.log; do
        [ -f "$log" ] && { echo "--- $log:" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}
wait_for() {  # SECONDS WHAT COMMAND...: polls COMMAND until it succeeds, or fails the test
    local limit=$1 what=$2; shift 2
    local deadline=$((SECONDS + limit))
    until "$@"; do
        (( SECONDS < deadline )) || fail "$what not within $limit s"
        sleep 0.2
    done
}
# A port nothing on this machine listens on (ss lists the listening ones).
used_ports=" $(ss -Hltn | awk '{n = split($4, a, ":"); printf "%s ", a[n]}')"
free_port() {
    local port
    while true; do
        port=$((20000 + RANDOM % 40000))
        [[ "$used_ports" == *" $port "* ]] || { used_ports+="$port "; echo "$port"; return; }
    done
}

# munge: a fresh key; munged as the munge user, its socket in a folder all may enter (as
# /run/munge), its key, seed and log in one only munge may read.
mkdir -p "$work/munge/private"
dd if=/dev/urandom of="$work/munge/private/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$work/munge"
chmod 755 "$work/munge"
chmod 700 "$work/munge/private"
chmod 400 "$work/munge/private/munge.key"
socket="$work/munge/munge.socket"
setpriv --reuid=munge --regid=munge --clear-groups munged --foreground --socket="$socket" \
    --key-file="$work/munge/private/munge.key" --pid-file="$work/munge/munged.pid" \
    --log-file="$work/munge/private/munged.log" --seed-file="$work/munge/private/munged.seed" \
    > "$work/munged.out" 2>&1 &
pids+=($!)
wait_for 10 "munged's socket" test -S "$socket"

# Slurm: this host as the only node, its CPUs and memory as slurmd sees them (the default
# RealMemory is 1 MB); no cgroups (proctrack/linuxproc, task/none); no slurmdbd, so finished
# jobs are read with scontrol while MinJobAge keeps them.
node_config="$(slurmd -C | head -n 1)" || skip "slurmd -C failed"
cpus="$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node_config")"
memory="$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$node_config")"
[[ -n "$cpus" && -n "$memory" ]] || skip "slurmd -C gave no CPUs or RealMemory: $node_config"
host="$(hostname -s)"
mkdir -p "$work/slurm/state" "$work/slurm/spool" "$work/jobs"
# Each worker takes one CPU; more tasks than CPUs share cores (OverSubscribe=FORCE:N).
share=$(( (tasks + cpus - 1) / cpus ))
cat > "$SLURM_CONF" <<EOF
ClusterName=vsttest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MinJobAge=600
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=vst Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:$share
EOF
slurmctld -D > "$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D > "$work/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { [ "$(sinfo -h -n "$host" -o %T 2>/dev/null)" = idle ]; }
deadline=$((SECONDS + 30))
until node_idle; do
    if (( SECONDS >= deadline )) || ! kill -0 "${pids[1]}" 2>/dev/null || ! kill -0 "${pids[2]}" 2>/dev/null; then
        cat "$work"/slurmctld.out "$work"/slurmd.out "$work"/slurm/*.log 2>/dev/null | tail -n 15 >&2
        skip "slurmctld and slurmd did not bring node $host up within 30 s"
    fi
    sleep 0.2
done
echo "Slurm up: node $host, $cpus CPUs, RealMemory $memory MB, KillWait $(scontrol show config | sed -n 's/^KillWait *= *//p')"

# The farm: keys as docs/operations.md makes them, the coordinator on 127.0.0.1.
mkdir -p "$work/keys"
for name in coord worker client; do "$coord" keygen --out "$work/keys/$name" >/dev/null; done
cat "$work/keys/worker.pub" "$work/keys/client.pub" > "$work/keys/authorized"
port=$(free_port) control=$(free_port)
"$coord" serve --bind "tcp://127.0.0.1:$port" --control "tcp://127.0.0.1:$control" --data "$work/data" \
    --key "$work/keys/coord.key" --authorized "$work/keys/authorized" --lease 3 > "$work/coord.log" 2>&1 &
pids+=($!)
client() { "$coord" "$@" --coordinator "tcp://127.0.0.1:$control" --key "$work/keys/client.key" --server-key "$work/keys/coord.pub"; }

# The workers: the sbatch as shipped. --chdir so that its relative --output lands in the test's
# folder; one CPU and a little memory per task instead of the script's 8 and 8G, to fit one node.
array=$(VST_WORKER="$worker" VST_KEYS="$work/keys" sbatch --parsable --array="1-$tasks" --chdir="$work/jobs" \
    --cpus-per-task=1 --mem=256M --time=10 "$root/deploy/slurm/vst-workers.sbatch" 127.0.0.1 "$port")
array="${array%%;*}"
echo "array job $array: $tasks vst-worker tasks"
joined() { [[ $(grep -c " joined " "$work/coord.log" || true) -ge $tasks ]]; }
wait_for 60 "$tasks workers joining" joined

# A lossless RGB film, so that the output can be compared frame for frame with ffmpeg alone.
ffmpeg -v error -nostdin -f lavfi -i testsrc=size=160x96:rate=25 -frames:v "$frames" -c:v ffv1 -pix_fmt bgr0 "$work/in.mkv"
started=$SECONDS
job=$(client submit "$work/in.mkv" --method "sleep:$frame_ms" --lossless --chunk 10 --overlap 2 --detach --out "$work/out.mkv")
echo "job $job submitted: $frames frames of $frame_ms ms"

# Cancel task 1 once every worker holds a chunk.
log1="$work/jobs/vst-worker-${array}_1.log"
rendering() { for t in $(seq 1 "$tasks"); do grep -q "rendering frames" "$work/jobs/vst-worker-${array}_$t.log" 2>/dev/null || return 1; done; }
wait_for 60 "every worker holding a chunk" rendering
scancel "${array}_1"
echo "scancel ${array}_1"

deadline=$((SECONDS + 300))
while true; do
    line=$(client status "$job" | sed -n 2p)
    case "$line" in
        *$'\t'done$'\t'*) break ;;
        *$'\t'failed$'\t'*|*$'\t'cancelled$'\t'*) fail "job ended: $line" ;;
    esac
    (( SECONDS < deadline )) || fail "job not done in 300 s: $line"
    sleep 0.2
done
elapsed=$((SECONDS - started))

# Every frame exactly once, bit-exact.
md5() { ffmpeg -v error -nostdin -i "$1" -map 0:v -pix_fmt rgb24 -f framemd5 - | grep -v '^#' | awk -F, '{print $NF}'; }
[[ "$(md5 "$work/in.mkv")" == "$(md5 "$work/out.mkv")" ]] || fail "output frames differ from the input"
counted=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$work/out.mkv")
[[ "$counted" -eq "$frames" ]] || fail "output has $counted frames, not $frames"

# Task 1 was cancelled by Slurm, and its worker says it handed its chunk back.
state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }
[ "$(state "${array}_1")" = CANCELLED ] || fail "task ${array}_1 is $(state "${array}_1"), not CANCELLED"
grep -q "slurmstepd.*CANCELLED" "$log1" || fail "task 1's log does not show Slurm cancelling it"
stopped=$(grep "stopped: " "$log1" || true)
[[ "$stopped" == *"BYE hands the chunk back"* && "$stopped" != *"without it"* && "$stopped" != *"ran out"* ]] \
    || fail "task 1's worker did not hand its chunk back with every frame acknowledged: ${stopped:-no stop line}"
grep -q " left; job $job chunk" "$work/coord.log" || fail "the coordinator did not take task 1's chunk back"
for t in $(seq 2 "$tasks"); do
    [ "$(state "${array}_$t")" = RUNNING ] || fail "task ${array}_$t is $(state "${array}_$t"), not RUNNING"
done
echo "task 1's log: $stopped"
echo "PASS: job done in $elapsed s with all $frames frames bit-exact on $tasks Slurm array workers, task 1 scancelled mid-job"
