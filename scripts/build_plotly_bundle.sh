#!/usr/bin/env bash
# Rebuild assets/vendor/plotly-nws.min.js (and its brotli copy .br): a partial plotly.js bundle with only the
# trace types the dashboard draws (scatter, choropleth, scattergeo: the SVG geo map, no MapLibre).
#
# Needs node >= 20 and npm with access to the npm registry (nothing else: the npm
# package of plotly.js does not ship its `custom-bundle` task, so we bundle its
# `lib/` modules with esbuild using the same settings as upstream's esbuild-config.js).
# Not run by CI; see assets/vendor/PLOTLY_BUILD.md.
#
# Usage: scripts/build_plotly_bundle.sh [PLOTLY_JS_VERSION]
#   PLOTLY_JS_VERSION defaults to the plotly.js version inside the installed Python
#   plotly package (the one Dash would otherwise serve), so figures built in Python
#   match the JS that draws them.
# Environment: PYTHON (default .venv/bin/python), WORKDIR (default: a fresh mktemp dir),
#   KEEP_WORKDIR=1 to keep the scratch folder, NPM_BEFORE (see below).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$ROOT/assets/vendor/plotly-nws.min.js"
TRACES=(choropleth scattergeo)   # scatter is part of plotly.js core
# Modules of the geo subplot the app's map never uses, replaced by stubs (35 KB of brotli):
# d3-geo-projection (every projection that d3-geo lacks: robinson, aitoff...; the map is
# mercator, which d3-geo has) and country-iso-search (country names for locationmode
# "country names"/"ISO-3"; the map uses locationmode "geojson-id"). SHIMS="" keeps them.
SHIMS="${SHIMS-d3-geo-projection country-iso-search}"
ESBUILD_VERSION=0.28.2
# Resolve npm dependency ranges as of this date (override with NPM_BEFORE=...).
NPM_BEFORE="${NPM_BEFORE:-2026-11-25T13:40:00Z}"

python_plotlyjs_version() {
    "$PYTHON" - <<'EOF'
import pathlib, re, plotly
head = (pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
print(re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head).group(1))
EOF
}

PY_JS_VERSION="$(python_plotlyjs_version)"
VERSION="${1:-$PY_JS_VERSION}"
if [[ "${VERSION%.*}" != "${PY_JS_VERSION%.*}" ]]; then
    echo "plotly.js $VERSION does not match the Python package's plotly.js $PY_JS_VERSION (major.minor)" >&2
    exit 1
fi

WORKDIR="${WORKDIR:-$(mktemp -d /tmp/plotly-nws-build.XXXXXX)}"
if [[ "${KEEP_WORKDIR:-0}" != 1 ]]; then
    trap 'rm -rf "$WORKDIR"' EXIT
fi
mkdir -p "$WORKDIR"
cd "$WORKDIR"
echo "building plotly.js $VERSION partial bundle in $WORKDIR"

cat > package.json <<EOF
{
  "name": "plotly-nws-bundle",
  "private": true,
  "dependencies": {
    "plotly.js": "$VERSION"
  },
  "devDependencies": {
    "esbuild": "$ESBUILD_VERSION",
    "esbuild-plugin-environment": "0.5.0",
    "esbuild-plugin-glsl": "1.4.2",
    "stream-browserify": "3.0.0"
  }
}
EOF

# --before pins every transitive dependency range to what the registry had at that time,
# so a rebuild resolves the same versions (and gives the same bytes) without a lockfile.
# --ignore-scripts: nothing here needs an install script (esbuild's binary comes from its
# optional @esbuild/<platform> package).
npm install --no-audit --no-fund --ignore-scripts --loglevel=error --before="$NPM_BEFORE"

{
    echo "'use strict';"
    echo "var Plotly = require('plotly.js/lib/core');"
    echo "Plotly.register(["
    for t in "${TRACES[@]}"; do echo "    require('plotly.js/lib/$t'),"; done
    echo "]);"
    echo "module.exports = Plotly;"
} > entry.js

mkdir -p shims
# d3-geo-projection: plotly.js looks projections up as geo[name] || geoProjection[name]
echo 'module.exports = {};' > shims/d3-geo-projection.js
# country-iso-search: plotly.js calls createLookup(COUNTRIES).lookupAlpha3(name) at load
echo 'module.exports = {COUNTRIES: [], createLookup: function () { return {lookupAlpha3: function () { return undefined; }}; }};' > shims/country-iso-search.js

cat > build.mjs <<'EOF'
// The options of plotly.js's own esbuild-config.js (esbuildConfig), plus minify, a banner
// and `window.Plotly`. CSS (maplibre-gl.css) is minified and injected as a <style> tag like
// upstream's esbuild-plugin-inline-css does, but with an id that does not depend on the
// build folder, so the output is byte-for-byte reproducible. plotly.js's registry requires
// maplibre-gl.css whatever the traces (it injects it only when a MapLibre trace registers):
// without such a trace it is left out (83 KB of dead CSS text).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, transform } from 'esbuild';
import { environmentPlugin } from 'esbuild-plugin-environment';
import { glsl } from 'esbuild-plugin-glsl';

const [version, traces, outfile, shims] = process.argv.slice(2);
const shimAlias = Object.fromEntries(
    (shims || '').split(' ').filter(Boolean).map((m) => [m, path.resolve('shims', m + '.js')]));
const MAPLIBRE_TRACES = ['choroplethmap', 'densitymap', 'scattermap'];
const needsMaplibre = traces.split(',').some((t) => MAPLIBRE_TRACES.includes(t));

const inlineCss = {
    name: 'inline-css',
    setup(b) {
        b.onLoad({ filter: /\.css$/ }, async (args) => {
            if (!needsMaplibre && /maplibre-gl/.test(args.path)) {
                return { loader: 'js', contents: '' };
            }
            const css = await readFile(args.path, 'utf8');
            const { code } = await transform(css, { loader: 'css', minify: true });
            const id = JSON.stringify('plotly-nws-' +
                path.relative(process.cwd(), args.path).replace(/\W+/g, '-'));
            return {
                loader: 'js',
                contents: `if(!document.getElementById(${id})){var e=document.createElement('style');` +
                    `e.id=${id};e.textContent=${JSON.stringify(code)};document.head.appendChild(e);}`,
            };
        });
    },
};

await build({
    entryPoints: ['./entry.js'],
    outfile,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'eof', // keeps the licence notices (maplibre-gl is BSD-3-Clause)
    plugins: [inlineCss, glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify', ...shimAlias },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    banner: { js: `/*! plotly.js v${version} partial bundle for nwsyria: traces scatter,${traces}` +
        (shims ? `; stubbed: ${shims.split(' ').join(',')}` : '') +
        `. MIT License, (c) Plotly, Inc.; see assets/vendor/PLOTLY_BUILD.md */` },
    footer: { js: 'window.Plotly = Plotly;' },
    logLevel: 'warning',
});
EOF

mkdir -p "$(dirname "$OUT")"
node build.mjs "$VERSION" "$(IFS=,; echo "${TRACES[*]}")" "$OUT" "$SHIMS"

# The product never reaches the internet: the config default for the geo base map's
# topojson (cdn.plot.ly) becomes the app's own folder. The app sets topojsonURL on every map
# and supplies the (empty) topology in the page anyway; this leaves no remote host in the JS.
"$PYTHON" - "$OUT" <<'PYEOF'
import pathlib, sys
out = pathlib.Path(sys.argv[1])
text = out.read_text(encoding="utf-8")
old, new = 'dflt:"https://cdn.plot.ly/un/"', 'dflt:"/assets/topojson/"'
if text.count(old) != 1:
    sys.exit(f"expected one {old} in {out}, found {text.count(old)}")
out.write_text(text.replace(old, new), encoding="utf-8")
PYEOF

# Brotli at quality 11 takes ~10 s, far too slow per request: app/web/assets.py serves
# this copy to browsers that accept br (after checking it still matches the bundle).
"$PYTHON" - "$OUT" <<'PYEOF'
import pathlib, sys
import brotli
src = pathlib.Path(sys.argv[1])
src.with_name(src.name + ".br").write_bytes(
    brotli.compress(src.read_bytes(), quality=11, mode=brotli.MODE_TEXT)
)
PYEOF

raw=$(wc -c < "$OUT")
gz=$(gzip -9c "$OUT" | wc -c)
br=$(wc -c < "$OUT.br")
echo "wrote $OUT: $raw bytes raw, $gz bytes gzip -9, $br bytes brotli 11 ($OUT.br)"
