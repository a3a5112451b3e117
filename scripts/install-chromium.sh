#!/usr/bin/env bash
# install-chromium.sh - make sure Debian's headless-capable Chromium is installed for the browser tests
# (internal/web/browser*_test.go drive it with chromedp).
#
#   scripts/install-chromium.sh
#
# Does nothing when /usr/bin/chromium (or $FOIDESK_CHROMIUM) is already there. Otherwise installs the Debian
# `chromium` package with apt-get: directly as root, through sudo when not root and sudo works without a
# password, and fails loudly (non-zero, the reason on stderr) when neither is possible. The browser tests never
# skip: without Chromium they fail, naming this script.

set -euo pipefail

readonly PROG=install-chromium
readonly CHROMIUM=${FOIDESK_CHROMIUM:-/usr/bin/chromium}
# fonts-liberation gives Chromium metric-compatible fonts, so text and colour contrast are measured on real
# glyphs rather than a fallback.
readonly PACKAGES=(chromium fonts-liberation)

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}

if [[ -x "$CHROMIUM" ]]; then
	exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "$CHROMIUM is missing and there is no apt-get: install Debian's chromium package by hand"

as_root=()
if [[ $(id -u) -ne 0 ]]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		as_root=(sudo -n)
	else
		die "$CHROMIUM is missing and this user is not root and cannot use sudo: run 'apt-get install chromium' as root"
	fi
fi

printf '%s: installing %s with apt-get\n' "$PROG" "${PACKAGES[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq || die "apt-get update failed"
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null ||
	die "apt-get install ${PACKAGES[*]} failed"
[[ -x "$CHROMIUM" ]] || die "apt-get installed chromium but $CHROMIUM is still missing"
"$CHROMIUM" --version >&2 || die "$CHROMIUM does not run"
