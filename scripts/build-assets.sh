#!/usr/bin/env bash
# build-assets.sh copies the compiled GOV.UK Frontend and MoJ Frontend assets out of node_modules into
# internal/web/static/dist/, where the Go binary embeds them (internal/web/static.go) and serves them at
# /static/dist/. Run `npm ci` first. The output directory is rebuilt from scratch each time (idempotent) and is
# not committed (.gitignore).
#
# Layout of internal/web/static/dist/:
#   govuk-frontend.min.css      url(/assets/...) rewritten to url(assets/...), i.e. relative to the CSS file
#   govuk-frontend.min.js       ES module (loaded by /static/app.js)
#   assets/                     fonts/, images/, manifest.json, rebrand/ (favicons and manifest of the 2025 brand)
#   moj-frontend.min.css        url(/assets/...) rewritten to url(moj/assets/...)
#   moj-frontend.min.js         ES module (loaded by /static/app.js)
#   moj/assets/images/          MoJ Frontend's icons
#   VERSIONS                    the package versions the files came from
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nm="$root/node_modules"
govuk="$nm/govuk-frontend/dist/govuk"
moj="$nm/@ministryofjustice/frontend/moj"
static="$root/internal/web/static"
dist="$static/dist"

die() {
	echo "build-assets: $*" >&2
	exit 1
}

[ -d "$nm" ] || die "$nm is missing: run 'npm ci' in $root first"
for f in \
	"$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" "$govuk/assets/fonts" "$govuk/assets/images" \
	"$govuk/assets/manifest.json" \
	"$moj/moj-frontend.min.css" "$moj/moj-frontend.min.js" "$moj/assets/images"; do
	[ -e "$f" ] || die "$f is missing: run 'npm ci' in $root (is package-lock.json in step with package.json?)"
done
[ -d "$static" ] || die "$static is missing"

# Build next to the final place, then swap, so a failed run never leaves a half-filled dist/. The temporary
# directory's name starts with a dot, which go:embed skips.
tmp="$(mktemp -d "$static/.dist.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# copy_rewritten SRC DST PREFIX: copies a minified CSS or JS file, pointing absolute /assets/ URLs at PREFIX
# (relative to the file) and dropping the sourceMappingURL comment (the .map files are not shipped).
copy_rewritten() {
	sed -e "s#url(/assets/#url(${3}#g" -e "s#url(\"/assets/#url(\"${3}#g" -e "s#url('/assets/#url('${3}#g" \
		-e 's#/\*\# sourceMappingURL=[^*]*\*/##g' -e 's#//\# sourceMappingURL=.*$##' "$1" >"$2"
	if grep -q 'url(["'\'']\{0,1\}/assets/' "$2"; then
		die "$2 still has absolute /assets/ URLs after rewriting"
	fi
}

copy_rewritten "$govuk/govuk-frontend.min.css" "$tmp/govuk-frontend.min.css" "assets/"
copy_rewritten "$govuk/govuk-frontend.min.js" "$tmp/govuk-frontend.min.js" "assets/"
mkdir -p "$tmp/assets"
cp -R "$govuk/assets/fonts" "$govuk/assets/images" "$govuk/assets/manifest.json" "$tmp/assets/"
if [ -d "$govuk/assets/rebrand" ]; then
	cp -R "$govuk/assets/rebrand" "$tmp/assets/"
fi

copy_rewritten "$moj/moj-frontend.min.css" "$tmp/moj-frontend.min.css" "moj/assets/"
copy_rewritten "$moj/moj-frontend.min.js" "$tmp/moj-frontend.min.js" "moj/assets/"
mkdir -p "$tmp/moj/assets"
cp -R "$moj/assets/images" "$tmp/moj/assets/"

# Every url(...) left in the stylesheets must name a file we shipped.
for css in govuk-frontend.min.css moj-frontend.min.css; do
	while IFS= read -r u; do
		case "$u" in
		data:* | \#*) continue ;;
		esac
		[ -f "$tmp/${u%%[?#]*}" ] || die "$css refers to $u, which is not in dist/"
	done < <(grep -o 'url([^)]*)' "$tmp/$css" | sed -e 's/^url(//' -e 's/)$//' -e "s/[\"']//g" | sort -u)
done

version() { node -p "require('$1/package.json').version"; }
{
	echo "govuk-frontend $(version "$nm/govuk-frontend")"
	echo "@ministryofjustice/frontend $(version "$nm/@ministryofjustice/frontend")"
} >"$tmp/VERSIONS"

chmod -R u+rwX,go+rX "$tmp"
rm -rf "$dist"
mv "$tmp" "$dist"
trap - EXIT
echo "build-assets: wrote $(find "$dist" -type f | wc -l) files to ${dist#"$root"/}"
