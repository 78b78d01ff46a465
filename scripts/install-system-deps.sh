#!/bin/sh
# Installs the Debian packages the gateway and its tests need. Used by `make deps`, `.ci/run`
# and the Dockerfile, so the three never drift apart.
set -eu

# dovecot-imapd: the tests run their own Dovecot (tests/imap/) on a loopback port; the gateway
# itself needs no IMAP server, and the tests never use a system-wide one.
PACKAGES="swaks ca-certificates dovecot-imapd"

missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done

if [ -z "$missing" ]; then
    echo "system packages: all present ($PACKAGES)"
    exit 0
fi

echo "system packages: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "error: missing Debian packages:$missing (run this script as root)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
