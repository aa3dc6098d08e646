#!/usr/bin/env bash
# Debian packages the tests need: poppler-utils (pdftotext, pdftoppm, pdffonts), LibreOffice Writer
# (headless DOCX → PDF, to prove the Word output with a second renderer), fontconfig and unzip (Info-ZIP checks
# the DOCX zip), Chromium (the web app's browser tests drive /usr/bin/chromium with playwright-core). Under CI a
# test skipped for a missing program counts as failed (test/run-tests.js). openssl makes the throwaway signing
# certificate, poppler's pdfsig and qpdf check signed PDFs.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v fc-match >/dev/null 2>&1 || need+=(fontconfig)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
