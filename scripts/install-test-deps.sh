#!/usr/bin/env bash
# Debian packages the tests need: poppler-utils (pdftotext, pdftoppm, pdffonts), LibreOffice Writer
# (headless DOCX → PDF, to prove the Word output with a second renderer), fontconfig and unzip (Info-ZIP checks
# the DOCX zip), zbar-tools (zbarimg decodes the letters' QR codes), Chromium (the web app's browser tests drive /usr/bin/chromium with playwright-core). Under CI a
# test skipped for a missing program counts as failed (test/run-tests.js).
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v fc-match >/dev/null 2>&1 || need+=(fontconfig)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
