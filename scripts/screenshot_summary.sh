#!/bin/sh
# Render a summary page (auditor audit ... --out DIR writes DIR/summary.html) to a PNG with
# headless Chromium (Debian: apt-get install chromium fonts-noto-cjk), for the README.
#
#   scripts/screenshot_summary.sh [PAGE] [PNG] [WIDTHxHEIGHT]
#   defaults: out/summary.html  docs/summary.png  1280x2000
set -eu
page=${1:-out/summary.html}
png=${2:-docs/summary.png}
size=${3:-1280x2000}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "screenshot_summary: chromium not found (Debian: apt-get install chromium fonts-noto-cjk)" >&2
    exit 2
fi
[ -f "$page" ] || { echo "screenshot_summary: $page not found; run: auditor audit corpus/ --out out/" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" --window-size="$(echo "$size" | tr x ,)" \
    --screenshot="$(realpath -m "$png")" "file://$(realpath "$page")" 2>/dev/null
echo "wrote $png"
