#!/bin/sh
# Installs the Debian packages the gateway and its tests need. Used by `make deps`, `.ci/run`
# and the Dockerfile (with --runtime: only what the gateway itself runs on), so they never drift.
set -eu

# What the gateway needs at run time: OCR of scanned bills in French and English (tesseract),
# and WeasyPrint's text layout (Pango) with the Liberation fonts embedded in every invoice PDF.
RUNTIME_PACKAGES="ca-certificates tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2"
# What only the tests need: real SMTP clients (swaks), a real IMAP server (the tests run their
# own Dovecot from tests/imap/ on a loopback port, never a system-wide one), and poppler's
# pdftoppm/pdffonts/pdftotext to rasterise and inspect PDFs.
TEST_PACKAGES="swaks dovecot-imapd poppler-utils"

if [ "${1:-}" = "--runtime" ]; then
    PACKAGES="$RUNTIME_PACKAGES"
else
    PACKAGES="$RUNTIME_PACKAGES $TEST_PACKAGES"
fi

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
