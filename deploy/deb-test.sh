#!/bin/bash
# Checks the Debian package that scripts/package-deb.sh makes, as an operator would meet it:
#   1. lintian on the .deb: any E: line fails (warnings are printed; the one overridden is
#      justified in deploy/debian/lintian-overrides);
#   2. a fresh Debian 12 root (debootstrap --variant=minbase bookworm, from the mirror this
#      machine's apt uses), `apt-get install --no-install-recommends /tmp/vst_*.deb` in it:
#      the Depends alone must bring every library the tools load;
#   3. `vst-coord --help`, `vst-worker --help` and `vst --help` run in that root; the `vst` user,
#      /var/lib/vst (vst, 0700) and /etc/vst exist; `apt-get purge vst` removes /var/lib/vst.
# /proc is mounted in the root while the tools run (statically linked, the Swift runtime reads
# the command line from /proc/self/cmdline: without it every tool sees no arguments) and
# unmounted before the root is deleted. debootstrap takes about 3 minutes here, so its result is kept as a tar of the
# untouched root in .build/deb/ and each later run unpacks a fresh copy of it (seconds); delete
# .build/deb/bookworm-minbase.tar to start from debootstrap again.
#
# Usage: deploy/deb-test.sh [DEB]
#   without DEB, builds it with scripts/package-deb.sh (a release build, long), which also reads
#   VST_CONFIGURATION=debug (what scripts/test.sh sets, to spare CI the release build: SwiftPM
#   only relinks the debug build with the static runtime; 1 m 56 s for this whole check with a
#   first debootstrap) and VST_BIN=DIR.
# Needs root (debootstrap, chroot), lintian and debootstrap (installed with apt-get when
# missing) and the network (the mirror). Without them it says so and exits 0, or 1 with an
# error line when VST_REQUIRE_FIXTURES=1 (CI must not pass without this check).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="$repo/.build/deb"

skip() {
    if [ "${VST_REQUIRE_FIXTURES:-0}" = 1 ]; then
        echo "error: $1 (VST_REQUIRE_FIXTURES=1)" >&2
        exit 1
    fi
    echo "SKIP: $1; the Debian package was not tested"
    exit 0
}

[ "$(id -u)" = 0 ] || skip "not root (debootstrap and chroot need it)"
missing=()
for tool in lintian debootstrap help2man dpkg-shlibdeps; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lintian debootstrap help2man dpkg-dev; } \
        >/dev/null 2>&1 || skip "cannot install ${missing[*]} (apt-get install lintian debootstrap help2man dpkg-dev)"
fi

# The mirror apt already uses here (deb822 sources first, then sources.list), so the test
# reaches nothing this machine does not.
mirror="${VST_DEB_MIRROR:-$(sed -n 's|^URIs: *\([^ ]*/debian\)/*$|\1|p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)}"
[ -n "$mirror" ] || mirror="$(sed -n 's|^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*/debian\)/* .*|\2|p' /etc/apt/sources.list 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"

deb="${1:-}"
if [ -z "$deb" ]; then
    deb="$("$repo/scripts/package-deb.sh" "$cache")"
fi
[ -f "$deb" ] || { echo "error: no package at $deb" >&2; exit 1; }

echo "lintian $(basename "$deb"):"
lint="$(lintian --fail-on none "$deb" 2>&1)"
[ -z "$lint" ] || printf '%s\n' "$lint" | sed 's/^/  /'
if grep -q '^E: ' <<<"$lint"; then
    echo "FAIL: lintian reports errors on $(basename "$deb")" >&2
    exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/vst-deb-test.XXXXXX")"
root="$work/root"
cleanup() {
    if mountpoint -q "$root/proc" 2>/dev/null; then umount "$root/proc"; fi
    # Refuse to delete through a mount (one left behind, or made by hand).
    if findmnt -rno TARGET | grep -q "^$root"; then
        echo "error: something is mounted under $root; unmount it and delete $work" >&2
        return
    fi
    rm -rf "$work"
}
trap cleanup EXIT

tarball="$cache/bookworm-minbase.tar"
if [ ! -f "$tarball" ]; then
    echo "debootstrap --variant=minbase bookworm from $mirror (once; kept in $tarball)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -5 "$work/debootstrap.log" >&2; skip "debootstrap from $mirror failed (no network?)"; }
    mkdir -p "$cache"
    tar -C "$root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
else
    mkdir "$root" && tar -C "$root" -xf "$tarball"
fi

cp "$deb" "$root/tmp/"
name="$(basename "$deb")"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
if ! in_root apt-get update -qq >"$work/apt.log" 2>&1; then
    tail -5 "$work/apt.log" >&2
    skip "apt-get update from $mirror failed in the fresh root (no network?)"
fi
if ! in_root apt-get install -y -qq --no-install-recommends "/tmp/$name" >"$work/apt.log" 2>&1; then
    tail -20 "$work/apt.log" >&2
    echo "FAIL: apt-get install /tmp/$name in a fresh bookworm root" >&2
    exit 1
fi
echo "installed in a fresh bookworm root: $(in_root dpkg-query -W -f '${Package} ${Version} ${Status}' vst)"

mount -t proc proc "$root/proc"
for tool in vst-coord vst-worker vst; do
    if ! in_root "$tool" --help >"$work/help.txt" 2>&1 || ! grep -q '^USAGE: ' "$work/help.txt"; then
        cat "$work/help.txt" >&2
        echo "FAIL: '$tool --help' in the installed root" >&2
        exit 1
    fi
done
# Arguments reach the tool and libzmq loads: a CURVE key pair.
if ! in_root vst-coord keygen --out /tmp/check >"$work/help.txt" 2>&1 || [ ! -s "$root/tmp/check.pub" ]; then
    cat "$work/help.txt" >&2
    echo "FAIL: 'vst-coord keygen' in the installed root" >&2
    exit 1
fi
echo "ran from the package: $(in_root vst-coord --help | grep '^USAGE: ') (--help of all three tools, vst-coord keygen)"
umount "$root/proc"

state="$(in_root stat -c '%U %G %a' /var/lib/vst 2>/dev/null || echo missing)"  # names from the root's own passwd
user="$(in_root getent passwd vst | cut -d: -f1,6,7 || true)"
if [ "$state" != "vst vst 700" ] || [ "$user" != "vst:/var/lib/vst:/usr/sbin/nologin" ] || [ ! -d "$root/etc/vst" ]; then
    echo "FAIL: after install: /var/lib/vst is '$state', user '$user', /etc/vst $( [ -d "$root/etc/vst" ] && echo present || echo missing)" >&2
    exit 1
fi
echo "postinst made user vst (home /var/lib/vst, nologin), /var/lib/vst (vst, 0700) and /etc/vst"

if ! in_root apt-get purge -y -qq vst >"$work/apt.log" 2>&1 || [ -e "$root/var/lib/vst" ] || [ -e "$root/usr/bin/vst-coord" ]; then
    tail -20 "$work/apt.log" >&2
    echo "FAIL: apt-get purge vst left /var/lib/vst or the binaries" >&2
    exit 1
fi
echo "PASS: lintian has no errors; $name installs in a fresh bookworm root, its tools run, purge cleans up"
