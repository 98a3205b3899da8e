#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
VST_CONFIGURATION=debug scripts/setup.sh
swift test
# The multi-host test in network namespaces; prints SKIP and passes where namespaces are not allowed.
deploy/netns-test.sh
