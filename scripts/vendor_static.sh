#!/usr/bin/env bash
# Vendor the front-end assets (Bootstrap, Bootstrap Icons, htmx, ECharts and a
# China map GeoJSON) from the npm registry into static/vendor/.
#
# The site loads these files from its own static/ directory; no CDN is used at
# run time.  Versions are pinned exactly in package.json and package-lock.json.
#
# Usage:
#   scripts/vendor_static.sh           # npm ci from package-lock.json
#   scripts/vendor_static.sh --update  # npm install: refresh package-lock.json
#                                      # after editing versions in package.json
#
# node_modules/ is created in a temporary directory and removed afterwards;
# nothing but static/vendor/ (and, with --update, package-lock.json) is changed
# in the repository.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor"
MODE="ci"
if [[ "${1:-}" == "--update" ]]; then
    MODE="install"
fi
if [[ ! -f "$ROOT/package-lock.json" ]]; then
    MODE="install"
fi

command -v npm >/dev/null || { echo "npm is required (Node 20+)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/flowparty-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

cp "$ROOT/package.json" "$WORK/"
if [[ -f "$ROOT/package-lock.json" ]]; then
    cp "$ROOT/package-lock.json" "$WORK/"
fi

echo "==> npm $MODE in $WORK"
(
    cd "$WORK"
    npm "$MODE" --ignore-scripts --no-audit --no-fund --loglevel=error
)
if [[ "$MODE" == "install" ]]; then
    cp "$WORK/package-lock.json" "$ROOT/package-lock.json"
    echo "==> package-lock.json updated"
fi

NM="$WORK/node_modules"

# Start from a clean tree so that files dropped upstream do not linger.
rm -rf "$DEST/bootstrap" "$DEST/bootstrap-icons" "$DEST/htmx" "$DEST/echarts" "$DEST/china-map"
mkdir -p "$DEST/bootstrap/css" "$DEST/bootstrap/js" \
         "$DEST/bootstrap-icons/font/fonts" \
         "$DEST/htmx" "$DEST/echarts" "$DEST/china-map"

# Copy a text asset and drop its sourceMappingURL comment: the .map files are
# not vendored, and Django's ManifestStaticFilesStorage (collectstatic) fails
# on a sourceMappingURL that points at a missing file.
copy_stripped() {
    local src="$1" dst="$2"
    sed -E \
        -e 's#/\*[#@] sourceMappingURL=[^*]*\*/##g' \
        -e 's#^//[#@] sourceMappingURL=.*$##' \
        "$src" > "$dst"
}

echo "==> copying files into $DEST"
# Bootstrap
copy_stripped "$NM/bootstrap/dist/css/bootstrap.min.css"      "$DEST/bootstrap/css/bootstrap.min.css"
copy_stripped "$NM/bootstrap/dist/js/bootstrap.bundle.min.js" "$DEST/bootstrap/js/bootstrap.bundle.min.js"
cp "$NM/bootstrap/LICENSE" "$DEST/bootstrap/LICENSE"

# Bootstrap Icons (the CSS refers to fonts/bootstrap-icons.woff2 relative to itself)
copy_stripped "$NM/bootstrap-icons/font/bootstrap-icons.min.css" "$DEST/bootstrap-icons/font/bootstrap-icons.min.css"
cp "$NM/bootstrap-icons/font/fonts/bootstrap-icons.woff2" \
   "$NM/bootstrap-icons/font/fonts/bootstrap-icons.woff" \
   "$DEST/bootstrap-icons/font/fonts/"
cp "$NM/bootstrap-icons/LICENSE" "$DEST/bootstrap-icons/LICENSE"

# htmx
copy_stripped "$NM/htmx.org/dist/htmx.min.js" "$DEST/htmx/htmx.min.js"
cp "$NM/htmx.org/LICENSE" "$DEST/htmx/LICENSE"

# ECharts
copy_stripped "$NM/echarts/dist/echarts.min.js" "$DEST/echarts/echarts.min.js"
cp "$NM/echarts/LICENSE" "$NM/echarts/NOTICE" "$DEST/echarts/"

# China map (GeoJSON FeatureCollection, provinces by short Chinese name, e.g. "四川")
cp "$NM/china-geojson/src/geojson/china.json" "$DEST/china-map/china.json"

echo "==> checking"
node - "$NM" "$DEST" <<'NODE'
const fs = require('fs');
const path = require('path');
const [nm, dest] = process.argv.slice(2);
let failed = false;
const fail = (msg) => { console.error('FAIL: ' + msg); failed = true; };

const minSizes = {
  'bootstrap/css/bootstrap.min.css': 150e3,
  'bootstrap/js/bootstrap.bundle.min.js': 50e3,
  'bootstrap-icons/font/bootstrap-icons.min.css': 50e3,
  'bootstrap-icons/font/fonts/bootstrap-icons.woff2': 50e3,
  'bootstrap-icons/font/fonts/bootstrap-icons.woff': 50e3,
  'htmx/htmx.min.js': 20e3,
  'echarts/echarts.min.js': 500e3,
  'china-map/china.json': 100e3,
};
for (const [rel, min] of Object.entries(minSizes)) {
  const p = path.join(dest, rel);
  if (!fs.existsSync(p)) { fail(rel + ' missing'); continue; }
  const size = fs.statSync(p).size;
  if (size < min) fail(`${rel} is only ${size} bytes`);
}

// Every url(...) in the icons CSS must resolve to a vendored file.
const iconsCss = path.join(dest, 'bootstrap-icons/font/bootstrap-icons.min.css');
const css = fs.readFileSync(iconsCss, 'utf8');
const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map(m => m[1]);
if (urls.length === 0) fail('no url() in bootstrap-icons.min.css');
for (const u of urls) {
  if (/^(https?:)?\/\//.test(u)) { fail('remote url in icons CSS: ' + u); continue; }
  const file = path.resolve(path.dirname(iconsCss), u.split(/[?#]/)[0]);
  if (!fs.existsSync(file)) fail('icons CSS url does not resolve: ' + u);
}

// No leftover source-map references.
for (const rel of Object.keys(minSizes)) {
  const p = path.join(dest, rel);
  if (!/\.(css|js)$/.test(rel) || !fs.existsSync(p)) continue;
  if (fs.readFileSync(p, 'utf8').includes('sourceMappingURL')) fail(rel + ' still has sourceMappingURL');
}

// The map must be a GeoJSON FeatureCollection with Chinese province names.
const geo = JSON.parse(fs.readFileSync(path.join(dest, 'china-map/china.json'), 'utf8'));
if (geo.type !== 'FeatureCollection' || !Array.isArray(geo.features)) fail('china.json is not a FeatureCollection');
const names = new Set(geo.features.map(f => f.properties && f.properties.name));
for (const n of ['北京', '四川', '台湾', '香港', '澳门', '南海诸岛']) {
  if (!names.has(n)) fail('china.json lacks ' + n);
}

// README with exact versions and licences.
const pkgs = [
  ['bootstrap', 'bootstrap/', 'css/bootstrap.min.css, js/bootstrap.bundle.min.js'],
  ['bootstrap-icons', 'bootstrap-icons/', 'font/bootstrap-icons.min.css, font/fonts/bootstrap-icons.woff2, font/fonts/bootstrap-icons.woff'],
  ['htmx.org', 'htmx/', 'htmx.min.js'],
  ['echarts', 'echarts/', 'echarts.min.js'],
  ['china-geojson', 'china-map/', 'china.json (from src/geojson/china.json)'],
];
const rows = pkgs.map(([name, dir, files]) => {
  const pj = JSON.parse(fs.readFileSync(path.join(nm, name, 'package.json'), 'utf8'));
  const lic = pj.license || pj.licenses || 'unspecified';
  return `| ${name} | ${pj.version} | ${typeof lic === 'string' ? lic : JSON.stringify(lic)} | \`${dir}\` | ${files} |`;
});
const readme = `# Vendored front-end assets

These files are copied from the npm registry packages below and served from
\`static/vendor/\`; the site loads nothing from a CDN.  Do not edit them by hand:
regenerate with scripts/vendor_static.sh (versions are pinned in
\`package.json\` / \`package-lock.json\` at the repository root; run the script with
\`--update\` after changing a version there).

| npm package | version | licence | directory | files |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Notes:

- \`sourceMappingURL\` comments are stripped (the \`.map\` files are not vendored,
  and Django's \`ManifestStaticFilesStorage\` would fail on the dangling reference).
- \`bootstrap.bundle.min.js\` includes Popper.
- \`bootstrap-icons/font/bootstrap-icons.min.css\` loads its fonts from
  \`fonts/bootstrap-icons.woff2\` / \`.woff\` relative to itself, so keep the
  \`font/\` + \`font/fonts/\` layout.
- \`china-map/china.json\` is a GeoJSON \`FeatureCollection\` (AntV's
  china-geojson, data from 2016) of 35 features: 34 provincial-level divisions
  plus a "南海诸岛" inset.  \`properties.name\` uses the short Chinese name
  ("四川", "北京", "内蒙古", "广西", "香港" ...), not the full name ("四川省").
  \`properties.id\` is the two-digit GB/T 2260 province code ("51") for most
  features.  Use it with \`echarts.registerMap('china', geoJson)\`; ECharts'
  built-in China fixes (label offsets, the 南海诸岛 inset) are keyed on these
  short names and on the map name \`china\`.  The package declares its licence
  only in the deprecated \`licenses\` field (MIT) and ships no LICENSE file.
- LICENSE (and NOTICE for ECharts) files are copied next to each library.
`;
fs.writeFileSync(path.join(dest, 'README.md'), readme);

if (failed) process.exit(1);
console.log('all checks passed');
NODE

echo "==> vendored files:"
(cd "$DEST" && find . -type f | sort | xargs ls -l | awk '{printf "%10d  %s\n", $5, $9}')
