#!/bin/sh
# Install what the tests need from Debian when it is missing (never a downloaded browser or
# model): Chromium for the browser tests, LibreOffice to convert old Word/Excel and OpenDocument
# files, Tesseract with its Indonesian data for scanned pages, poppler for PDF pages as images.
# As root it installs; otherwise it names what is missing.
set -u
missing=""
need() { # need PACKAGE TEST...: the package when the test fails
    package=$1; shift
    "$@" >/dev/null 2>&1 || missing="$missing $package"
}
need chromium command -v chromium
need libreoffice-writer-nogui command -v soffice
need libreoffice-calc-nogui command -v soffice
need tesseract-ocr command -v tesseract
need tesseract-ocr-ind sh -c 'ls /usr/share/tesseract-ocr/*/tessdata/ind.traineddata'
need poppler-utils command -v pdftoppm
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "missing Debian packages:$missing (install them to run every test)"
fi
