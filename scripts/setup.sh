#!/usr/bin/env bash
# Sets a fresh Debian 12 machine up for vst: system libraries, the release build, the VGG weights.
# Safe to run again: every step skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libzmq3-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
          libopenblas-dev liblz4-dev ffmpeg python3-pip)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

swift build -c "${VST_CONFIGURATION:-release}"
