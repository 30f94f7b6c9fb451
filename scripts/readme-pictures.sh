#!/usr/bin/env bash
# The README pictures (docs/screenshot-*.png), offscreen, each on its own fresh SQLite database:
# HQ, ward station (北区) and drill controller windows with the demo drill playing, and the
# after-action report of the uemachi drill as QtWebEngine renders it.
# Usage: scripts/readme-pictures.sh [OUT_DIR]   (default docs/; needs `make venv`)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs}
DD=${DD:-.venv/bin/disaster-desk}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen OMP_NUM_THREADS=1 DD_CONFIG_DIR="$WORK/cfg" DD_DATA_DIR="$WORK/data"
printf 'role: ward\nstation_ward: 北区\nactor: 北区役所 田中\n' > "$WORK/ward.yaml"
"$DD" screenshot "$OUT/screenshot-main.png" --demo --role hq --db "sqlite:///$WORK/hq.sqlite"
"$DD" screenshot "$OUT/screenshot-ward.png" --demo --role ward --config "$WORK/ward.yaml" --db "sqlite:///$WORK/ward.sqlite"
"$DD" screenshot "$OUT/screenshot-drill.png" --demo --role drill --db "sqlite:///$WORK/drill.sqlite"
"$DD" drill run uemachi --speed max --db "sqlite:///$WORK/report.sqlite" --out "$WORK/report"
"$DD" screenshot "$OUT/screenshot-report.png" --html "$WORK/report/report.html" --size 1200x1500
ls -l "$OUT"/screenshot-*.png
