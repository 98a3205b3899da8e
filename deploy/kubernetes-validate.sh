#!/bin/bash
# Validates deploy/kubernetes/*.yaml against the Kubernetes API schemas of one pinned version,
# offline, with PyPI's kubernetes-validate (it carries the schemas) in strict mode: unknown
# fields are errors, so a misspelt key cannot pass as ignored. Then checks that the manifests
# mean what docs/operations.md says: the coordinator's liveness and readiness probes are on
# /healthz and /readyz at the port its `serve --http` listens on, its --data folder is on a
# PersistentVolumeClaim and its keys come from a Secret; the workers' grace period exceeds the
# --stop-grace they pass; and every --flag a manifest passes is in the built binary's --help.
# The package goes into a virtual environment under .build/ (made once per pinned version).
#
# Usage: deploy/kubernetes-validate.sh   (after `swift build`; VST_BIN overrides .build/debug)
# Needs python3 with venv and PyPI (once); without them, says so and exits 0, or 1 with an
# error line when VST_REQUIRE_FIXTURES=1 (CI must not pass without this check).
set -euo pipefail
kubernetes_version=1.29.0          # the API version the manifests must be valid for
package=kubernetes-validate==1.34.1  # carries the schemas of Kubernetes 1.25 to 1.34
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="${VST_BIN:-$repo/.build/debug}"
[[ -x "$bin/vst-coord" && -x "$bin/vst-worker" ]] || { echo "error: build first (no $bin/vst-coord or $bin/vst-worker)" >&2; exit 1; }

skip() {
    if [ "${VST_REQUIRE_FIXTURES:-0}" = 1 ]; then
        echo "error: $1 (VST_REQUIRE_FIXTURES=1): the Kubernetes manifests were not validated" >&2
        exit 1
    fi
    echo "SKIP: $1; the Kubernetes manifests were not validated"
    exit 0
}
venv="$repo/.build/${package/==/-}"
if ! "$venv/bin/kubernetes-validate" --version >/dev/null 2>&1; then
    rm -rf "$venv"
    python3 -m venv "$venv" >/dev/null 2>&1 || skip "python3 -m venv is not available"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 30 "$package" >/dev/null 2>&1 \
        || { rm -rf "$venv"; skip "pip could not install $package from PyPI"; }
fi

"$venv/bin/kubernetes-validate" --strict --kubernetes-version "$kubernetes_version" "$repo"/deploy/kubernetes/*.yaml \
    || { echo "FAIL: the manifests do not validate against Kubernetes $kubernetes_version" >&2; exit 1; }

"$venv/bin/python" - "$bin" "$repo"/deploy/kubernetes/*.yaml <<'PYTHON' || { echo "FAIL: the manifests do not mean what docs/operations.md says" >&2; exit 1; }
import subprocess, sys, yaml
bin, files = sys.argv[1], sys.argv[2:]
docs = [d for f in files for d in yaml.safe_load_all(open(f)) if d]
problems = []
def check(ok, what):
    if not ok: problems.append(what)
def workload(kind, name):
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    check(found, f"no {kind} {name}")
    return found[0] if found else None
def option(args, flag):
    return args[args.index(flag) + 1] if flag in args else None

coord = workload("StatefulSet", "vst-coord")
if coord:
    pod = coord["spec"]["template"]["spec"]
    c = pod["containers"][0]
    args = c["args"]
    http = option(args, "--http") or ""
    check(http.startswith("0.0.0.0:"), "the coordinator's --http must listen on 0.0.0.0:PORT for the kubelet's probes")
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
    for probe, path in [("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")]:
        get = c.get(probe, {}).get("httpGet", {})
        port = ports.get(get.get("port"), get.get("port"))
        check(get.get("path") == path and str(port) == http.rpartition(":")[2],
              f"the coordinator's {probe} must GET {path} on its --http port")
    mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    claims = {t["metadata"]["name"] for t in coord["spec"].get("volumeClaimTemplates", [])}
    claims |= {v["name"] for v in pod["volumes"] if "persistentVolumeClaim" in v}
    check(mounts.get(option(args, "--data")) in claims, "the coordinator's --data folder must be on a PersistentVolumeClaim")
    secrets = {v["name"] for v in pod["volumes"] if "secret" in v}
    check(any(m["name"] in secrets for i in pod.get("initContainers", []) for m in i["volumeMounts"]),
          "the coordinator's keys must come from a Secret")

workers = workload("Deployment", "vst-worker")
if workers:
    pod = workers["spec"]["template"]["spec"]
    grace = option(pod["containers"][0]["args"], "--stop-grace")
    check(grace is not None and pod.get("terminationGracePeriodSeconds", 30) > float(grace),
          "the workers must pass --stop-grace and have a terminationGracePeriodSeconds longer than it")

# Every flag a vst container passes is one its binary (and subcommand) knows.
for d in docs:
    for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
        tool = c.get("command", [""])[0].rpartition("/")[2]
        if tool not in ("vst-coord", "vst-worker"): continue
        args = c.get("args", [])
        sub = [args[0]] if tool == "vst-coord" else []
        text = subprocess.run([f"{bin}/{tool}", *sub, "--help"], capture_output=True, text=True).stdout
        for flag in (a for a in args if a.startswith("--")):
            check(f"{flag} " in text or f"{flag}\n" in text, f"{tool} {' '.join(sub)} has no option {flag}")

for p in problems: print(f"  {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PYTHON
echo "PASS: deploy/kubernetes/*.yaml valid for Kubernetes $kubernetes_version ($package, strict) and mean what they say"
