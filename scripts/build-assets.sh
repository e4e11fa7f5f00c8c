#!/usr/bin/env bash
# Build the vendored front-end assets for SAB Manager.
#
#   bash scripts/build-assets.sh      (or `make assets` / `npm run build:assets`)
#
# Compiles GOV.UK Frontend (without the GOV.UK brand) from frontend/brand.scss
# and copies the JS we serve into static/. The outputs are committed, so the
# Django app needs no Node at runtime. See docs/frontend-assets.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

die() { echo "build-assets: ERROR: $*" >&2; exit 1; }
log() { echo "build-assets: $*"; }

command -v node >/dev/null || die "node is required"
command -v npm >/dev/null || die "npm is required"

if [[ ! -d node_modules/govuk-frontend || ! -d node_modules/sass || ! -d node_modules/htmx.org ]]; then
  log "node_modules missing: running npm ci"
  npm ci --no-audit --no-fund
fi

pkg_version() { node -p "require('./node_modules/$1/package.json').version"; }
GOVUK_VERSION="$(pkg_version govuk-frontend)"
SASS_VERSION="$(pkg_version sass)"
HTMX_VERSION="$(pkg_version htmx.org)"

GOVUK_DIST="node_modules/govuk-frontend/dist/govuk"
GOVUK_IMAGES="$GOVUK_DIST/assets/images"
OUT="static/govuk"
CSS="$OUT/govuk-frontend.min.css"
JS="$OUT/govuk-frontend.min.js"
HTMX_OUT="static/vendor/htmx.min.js"

# Start from a clean static/govuk so stale assets never linger.
rm -rf "$OUT"
mkdir -p "$OUT" static/vendor

# 1. CSS --------------------------------------------------------------------
log "compiling frontend/brand.scss with sass $SASS_VERSION (govuk-frontend $GOVUK_VERSION)"
node_modules/.bin/sass --pkg-importer=node --style=compressed --no-source-map \
  frontend/brand.scss "$CSS"

# No GOV.UK font: no GDS Transport and no @font-face at all.
if grep -q "GDS Transport" "$CSS"; then die "$CSS references GDS Transport"; fi
if grep -q "@font-face" "$CSS"; then die "$CSS contains @font-face"; fi
if grep -q "sourceMappingURL" "$CSS"; then die "$CSS has a sourceMappingURL"; fi

# Every url(...) must resolve to a file under static/ relative to the CSS file
# (CompressedManifestStaticFilesStorage fails collectstatic otherwise). GOV.UK
# images that the CSS references are copied in; the crown/crest/logotype never.
css_dir="$(dirname "$CSS")"
static_root="$(cd static && pwd)"
mapfile -t urls < <(grep -o 'url([^)]*)' "$CSS" | sed -E 's/^url\((.*)\)$/\1/; s/^["'\'']//; s/["'\'']$//' | sort -u)
for url in "${urls[@]}"; do
  [[ -z "$url" ]] && continue
  case "$url" in
    data:*|\#*) continue ;;
    http:*|https:*|//*) die "external url() in CSS: $url" ;;
    /*) die "root-absolute url() in CSS (must be relative to the CSS file): $url" ;;
  esac
  path="${url%%[?#]*}"
  name="$(basename "$path")"
  case "$name" in
    *crown*|*crest*|*logotype*)
      die "CSS references a GOV.UK brand asset: $url" ;;
  esac
  target="$css_dir/$path"
  if [[ ! -f "$target" && "$path" == images/* && -f "$GOVUK_IMAGES/${path#images/}" ]]; then
    case "$name" in
      # GOV.UK favicons/icons/opengraph images all carry the crown.
      favicon*|govuk-icon*|govuk-opengraph*) die "CSS references a GOV.UK brand asset: $url" ;;
    esac
    mkdir -p "$(dirname "$target")"
    cp "$GOVUK_IMAGES/${path#images/}" "$target"
    log "copied GOV.UK asset $path"
  fi
  [[ -f "$target" ]] || die "url($url) in $CSS does not resolve to a file ($target)"
  resolved="$(cd "$(dirname "$target")" && pwd)"
  [[ "$resolved" == "$static_root" || "$resolved" == "$static_root"/* ]] \
    || die "url($url) resolves outside static/: $target"
  log "url ok: $url -> $target"
done

# 2. GOV.UK Frontend JS -------------------------------------------------------
# Strip the sourceMappingURL comment: we do not ship the .map, and Django's
# ManifestStaticFilesStorage would fail collectstatic on the missing file.
sed -E 's@//# sourceMappingURL=[^[:space:]]*[[:space:]]*$@@' \
  "$GOVUK_DIST/govuk-frontend.min.js" > "$JS"
if grep -q "sourceMappingURL" "$JS"; then die "$JS still has a sourceMappingURL"; fi
# It is an ES module: it must end with an export that includes initAll.
tail -c 400 "$JS" | grep -Eq 'export[[:space:]]*\{[^}]*\binitAll\b[^}]*\};?[[:space:]]*$' \
  || die "$JS does not end in an ES module export of initAll"

# 3. htmx ---------------------------------------------------------------------
cp node_modules/htmx.org/dist/htmx.min.js "$HTMX_OUT"
if grep -q "sourceMappingURL" "$HTMX_OUT"; then die "$HTMX_OUT has a sourceMappingURL"; fi

# 4. Our own images must exist (referenced by the CSS and the base template).
for f in static/images/sab-logo.svg static/images/favicon.svg; do
  [[ -f "$f" ]] || die "missing $f"
done

# 5. VERSION ------------------------------------------------------------------
cat > "$OUT/VERSION" <<EOF
govuk-frontend $GOVUK_VERSION
sass $SASS_VERSION
htmx.org $HTMX_VERSION
built $(date -u +%Y-%m-%dT%H:%M:%SZ)
source frontend/brand.scss (scripts/build-assets.sh)
EOF

log "done:"
ls -l "$CSS" "$JS" "$HTMX_OUT" "$OUT/VERSION" | sed 's/^/  /'
