#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing:
#   postgresql      a real PostgreSQL server for the store tests
#   libsecret-1-dev to build keytar (the OS keychain binding) from source
#   libsecret-tools secret-tool, which the desktop app uses to import keys browser mode saved (tested here)
#   gnome-keyring   the Secret Service the keychain tests talk to
#   dbus            the private session bus gnome-keyring runs on
#   libglib2.0-bin  gdbus, to tell a locked keychain from an empty one
#   chromium        the browser the end-to-end tests drive (Playwright never downloads one)
set -euo pipefail

needed=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in postgresql libsecret-1-dev libsecret-tools gnome-keyring dbus libglib2.0-bin chromium; do
  have "$pkg" || needed+=("$pkg")
done
[ ${#needed[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${needed[*]} (install them with your package manager)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "missing system packages: ${needed[*]}; run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing system packages: ${needed[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
