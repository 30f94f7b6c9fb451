#!/usr/bin/env bash
# Checks (and on Debian/Ubuntu as root, installs) the system packages Disaster
# Desk needs: Japanese fonts, the xcb libraries QtWebEngine loads, Xvfb, and a
# PostgreSQL server when none is reachable (for the test suite).
# Usage: scripts/system-deps.sh [VENV_DIR]
set -euo pipefail
venv="${1:-.venv}"

want=(fonts-noto-cjk libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0 libnss3 libasound2 xvfb)

# Libraries that ldd shows missing for Qt's xcb plugin and QtWebEngine, mapped to Debian packages.
declare -A lib_pkg=(
  [libxcb-icccm.so.4]=libxcb-icccm4 [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-image.so.0]=libxcb-image0 [libxcb-render-util.so.0]=libxcb-render-util0
  [libxcb-xkb.so.1]=libxcb-xkb1 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libxcb-cursor.so.0]=libxcb-cursor0 [libnss3.so]=libnss3 [libasound.so.2]=libasound2
  [libxkbfile.so.1]=libxkbfile1 [libxshmfence.so.1]=libxshmfence1 [libgbm.so.1]=libgbm1
  [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libfontconfig.so.1]=libfontconfig1
  [libdbus-1.so.3]=libdbus-1-3 [libxcomposite.so.1]=libxcomposite1 [libXdamage.so.1]=libxdamage1
  [libXrandr.so.2]=libxrandr2 [libXtst.so.6]=libxtst6 [libxkbcommon.so.0]=libxkbcommon0
)
qt="$(ls -d "$venv"/lib/python3*/site-packages/PySide6/Qt 2>/dev/null | head -1 || true)"
if [ -n "$qt" ]; then
  for f in "$qt"/lib/libQt6WebEngineCore.so.6 "$qt"/plugins/platforms/libqxcb.so "$qt"/lib/libQt6XcbQpa.so.6 "$qt"/libexec/QtWebEngineProcess; do
    [ -e "$f" ] || continue
    while read -r lib; do
      [ -n "$lib" ] && want+=("${lib_pkg[$lib]:-}")
    done < <(ldd "$f" 2>/dev/null | awk '/not found/{print $1}')
  done
fi

pg_reachable() {
  if command -v pg_isready >/dev/null 2>&1; then pg_isready -q -h 127.0.0.1 -p 5432 && return 0; fi
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
}
if [ -z "${DD_TEST_DATABASE_URL:-}" ] && ! pg_reachable && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  want+=(postgresql)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${want[@]}"; do
    [ -n "$p" ] || continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # de-duplicate
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')
else
  echo "system-deps: not a Debian/Ubuntu system; please install: Noto CJK fonts, xcb-icccm, xcb-keysyms, Xvfb, PostgreSQL server" >&2
  exit 0
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: all system packages present"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing system packages: ${missing[*]}" >&2
  echo "system-deps: install them with: sudo apt-get install ${missing[*]}" >&2
fi
