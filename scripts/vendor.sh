#!/usr/bin/env bash
# Refresh the committed front-end assets from the npm registry (versions pinned in
# package.json). Running Zhiban needs none of this: the copies in static/vendor are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --loglevel=error
dest=src/zhiban/static/vendor
rm -rf "$dest" && mkdir -p "$dest/tabler/css" "$dest/tabler/js" "$dest/tabler-icons/fonts" "$dest/htmx" "$dest/echarts" "$dest/jsqr"
cp node_modules/@tabler/core/dist/css/tabler.min.css "$dest/tabler/css/"
cp node_modules/@tabler/core/dist/js/tabler.min.js "$dest/tabler/js/"
cp node_modules/@tabler/icons-webfont/dist/tabler-icons.min.css "$dest/tabler-icons/"
cp node_modules/@tabler/icons-webfont/dist/fonts/tabler-icons.woff2 "$dest/tabler-icons/fonts/"
# the stylesheet also names .woff/.ttf fallbacks; every browser we support takes woff2
sed -i -E 's#,url\("\./fonts/tabler-icons\.woff[^)]*\)[^,;}]*##; s#,url\("\./fonts/tabler-icons\.ttf[^)]*\)[^,;}]*##' "$dest/tabler-icons/tabler-icons.min.css"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
# jsQR reads a patrol checkpoint's QR code from a phone photo (PAT-2), loaded only by the round page
cp node_modules/jsqr/dist/jsQR.js "$dest/jsqr/"
# ECharts' full build (every chart kind, so the console and reports may use any), loaded only by
# pages with a chart (core/_chart.html, zhiban/charts.js); Apache-2.0 asks for its NOTICE too
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
cp node_modules/echarts/NOTICE "$dest/echarts.NOTICE"
for pkg in @tabler/core @tabler/icons-webfont htmx.org echarts jsqr; do
  cp "node_modules/$pkg/LICENSE" "$dest/$(echo "$pkg" | tr '/@' '__').LICENSE" 2>/dev/null || true
done
du -sh "$dest"
