#!/usr/bin/env bash
# Builds the Debian package vst_VERSION_amd64.deb for Debian 12 (bookworm): vst, vst-coord and
# vst-worker in /usr/bin, the systemd units of deploy/systemd in /lib/systemd/system, a man page
# per tool (help2man, from --help), and deploy/debian's maintainer scripts (the `vst` system user,
# /var/lib/vst, /etc/vst), copyright and changelog. The VGG weights are not in it (a worker
# host fetches them: docs/operations.md, "Installing from the Debian package").
#
# Usage: scripts/package-deb.sh [OUT_DIR]       (default .build/deb; prints the .deb's path)
#   VST_CONFIGURATION=debug   build and package debug binaries (a test of the packaging only:
#                 scripts/test.sh uses it to spare CI the release build; never ship one)
#   VST_BIN=DIR   package the binaries already in DIR instead of building them
#
# The version is VERSION's (the one place it is written) plus the Debian revision "-1";
# deploy/debian/changelog's top entry must carry the same, or this stops. The binaries are
# built with `swift build -c release --static-swift-stdlib`: the Swift runtime and Foundation
# are linked in, as no Debian package provides them, and what remains dynamic is Debian's own
# libraries (FFmpeg, ZeroMQ, OpenBLAS, LZ4, SQLite, glibc, libstdc++), from which
# dpkg-shlibdeps writes Depends. Binaries that still need the toolchain's libswift*.so (a plain
# `swift build`) are refused: installed elsewhere they could not start.
# Needs dpkg-dev (dpkg-shlibdeps), help2man and binutils (strip, readelf).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo/.build/deb}"
revision=1
maintainer="vst maintainers <maintainers@users.noreply.r-seed-2f4808d8.example>"
tools=(vst vst-coord vst-worker)
declare -A summary=(  # each man page's NAME line
    [vst]="single-machine style transfer, optical flow, evaluation and training tools"
    [vst-coord]="render farm coordinator for video style transfer"
    [vst-worker]="render node of the vst render farm"
)

for tool in dpkg-deb dpkg-shlibdeps help2man strip readelf; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing: apt-get install dpkg-dev help2man binutils" >&2; exit 1; }
done
upstream="$(tr -d '[:space:]' < "$repo/VERSION")"
version="$upstream-$revision"
changelog_version="$(sed -n '1s/^vst (\([^)]*\)).*/\1/p' "$repo/deploy/debian/changelog")"
[ "$changelog_version" = "$version" ] || { echo "error: deploy/debian/changelog's top entry is $changelog_version, VERSION makes $version: add a changelog entry" >&2; exit 1; }

if [ -n "${VST_BIN:-}" ]; then
    bin="$VST_BIN"
else
    configuration="${VST_CONFIGURATION:-release}"
    static=(--static-swift-stdlib)
    if [ "$configuration" = debug ]; then
        # A debug link of `vst` against the static runtime misses Foundation's own dependencies
        # (CoreFoundation, _FoundationCollections, Synchronization: "undefined reference to
        # CFCharacterSetGetPredefined" and ~1,800 more with Swift 6.3.1; the release link finds
        # them). Naming them in one group lets the linker resolve them in any order.
        static+=(-Xlinker --start-group)
        for lib in Foundation FoundationEssentials FoundationInternationalization CoreFoundation _FoundationCollections \
                   _FoundationCShims _FoundationICU swiftSynchronization swiftDispatch dispatch BlocksRuntime; do
            static+=(-Xlinker "-l$lib")
        done
        static+=(-Xlinker --end-group)
    fi
    (cd "$repo" && swift build -c "$configuration" "${static[@]}" >&2)
    bin="$(cd "$repo" && swift build -c "$configuration" "${static[@]}" --show-bin-path)"
fi
for tool in "${tools[@]}"; do
    [ -x "$bin/$tool" ] || { echo "error: no $bin/$tool: build first" >&2; exit 1; }
    if readelf -d "$bin/$tool" | grep -Eq 'NEEDED.*\[lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime)'; then
        echo "error: $bin/$tool needs the Swift runtime's shared libraries: build it with --static-swift-stdlib" >&2
        exit 1
    fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/vst-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/root"
install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/usr/share/man/man1" \
    "$root/usr/share/doc/vst"
for tool in "${tools[@]}"; do
    # No symbols, no compiler notes: lintian asks for stripped binaries, and the symbols would
    # triple the package.
    strip --strip-unneeded --remove-section=.comment --remove-section=.note -o "$root/usr/bin/$tool" "$bin/$tool"
    chmod 755 "$root/usr/bin/$tool"
    help2man --no-info --version-string="$upstream" --name="${summary[$tool]}" "$root/usr/bin/$tool" > "$work/$tool.1"
    gzip -9n < "$work/$tool.1" > "$root/usr/share/man/man1/$tool.1.gz"
done
install -m 644 "$repo"/deploy/systemd/*.service "$root/lib/systemd/system/"
install -m 644 "$repo/deploy/debian/copyright" "$root/usr/share/doc/vst/copyright"
gzip -9n < "$repo/deploy/debian/changelog" > "$root/usr/share/doc/vst/changelog.Debian.gz"
chmod 644 "$root/usr/share/doc/vst/changelog.Debian.gz" "$root"/usr/share/man/man1/*.gz
install -m 755 "$repo"/deploy/debian/{postinst,prerm,postrm} "$root/DEBIAN/"
install -D -m 644 "$repo/deploy/debian/lintian-overrides" "$root/usr/share/lintian/overrides/vst"

# Depends: the Debian packages of the libraries the binaries load (dpkg-shlibdeps reads their
# NEEDED entries and each library's shlibs/symbols file), and adduser for postinst. Suggests:
# what `vst models fetch` runs.
mkdir -p "$work/shlibs/debian"
printf 'Source: vst\n\nPackage: vst\nArchitecture: amd64\n' > "$work/shlibs/debian/control"
shlibs="$(cd "$work/shlibs" && dpkg-shlibdeps -O "${tools[@]/#/$root/usr/bin/}")"
depends="adduser, ${shlibs#shlibs:Depends=}"

cat > "$root/DEBIAN/control" <<EOF
Package: vst
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Suggests: python3-pip, unzip
Section: video
Priority: optional
Description: render farm for video style transfer
 vst styles a film in the manner of a painting: a coordinator (vst-coord)
 cuts the film into overlapping chunks, hands them over ZeroMQ (CURVE
 encrypted) to render nodes (vst-worker) on any number of machines, and
 stitches the styled chunks back into one film with its sound. Nodes render
 by Gatys optimisation warm-started along the optical flow, or with a
 feed-forward ReCoNet. vst holds the single-machine tools (stylize, flow,
 eval, train, models).
 .
 The package holds the three tools, systemd units for the coordinator
 (vst-coord.service) and a render node (vst-worker@COORDINATOR.service) and
 the vst system user they run as. The VGG-16 weights that Gatys rendering
 needs are not included: fetch them with "vst models fetch".
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/vst_${version}_amd64.deb"
dpkg-deb --build --root-owner-group -Zgzip "$root" "$deb" >/dev/null
echo "$deb"
