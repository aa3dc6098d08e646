#!/usr/bin/env bash
# Debian packages the tests need: poppler-utils (pdftotext, pdftoppm, pdffonts, pdfinfo, pdfsig), LibreOffice Writer
# and Calc (headless DOCX/XLSX → PDF/CSV, to prove the Word and Excel output with a second program), qpdf (structure
# check of PDF/A output), zbar-tools (zbarimg decodes the letters' QR codes), fontconfig and unzip (Info-ZIP checks
# the DOCX zip), openssl (throwaway signing certificates), Chromium (the web app's browser tests drive
# /usr/bin/chromium with playwright-core), PostgreSQL (the storage tests start a throwaway cluster with initdb and
# pg_ctl from /usr/lib/postgresql/<version>/bin: test/postgres.ts). Under CI a test skipped for a missing program
# counts as failed (test/run-tests.js).
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v fc-match >/dev/null 2>&1 || need+=(fontconfig)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
