#!/usr/bin/env bash
# Installs Debian's Chromium for the playground's browser test (test/e2e/playground.test.ts), and
# the fonts its screenshot needs to show Japanese text and emoji. Quiet, and never fails the build:
# without Chromium the browser test skips itself and says why.
set -u

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
fc-list :lang=ja 2>/dev/null | grep -q . || packages+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi 'color emoji' || packages+=(fonts-noto-color-emoji)
[ "${#packages[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-chromium: not root and no password-less sudo; not installing ${packages[*]}"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if "${as_root[@]}" apt-get update -qq >/dev/null 2>&1 &&
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null 2>&1; then
  echo "install-chromium: installed ${packages[*]}"
else
  echo "install-chromium: could not install ${packages[*]}; the browser test will skip without chromium"
fi
exit 0
