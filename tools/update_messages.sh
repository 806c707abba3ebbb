#!/bin/sh
# Re-extract the core's messages, merge them into every catalog, compile the catalogs.
#
#   tools/update_messages.sh          update src/alur/locale/ (alur.pot, */alur.po, */alur.mo)
#   tools/update_messages.sh --check  change nothing; fail when a catalog is out of date
#
# The core catalog covers every module under src/alur/ that imports alur.i18n, except the web
# application, which has its own Django catalog (see docs/translation.md). Needs GNU gettext
# (xgettext, msgmerge, msgfmt; Debian: apt-get install gettext).
set -eu

cd "$(dirname "$0")/.."
LOCALE=src/alur/locale
POT=$LOCALE/alur.pot
CHECK=${1:-}

# Files that translate with alur.i18n; sorted so the template does not change with the file system.
FILES=$(grep -rlE --include='*.py' '^ *from alur(\.i18n| import i18n)' src/alur \
        | grep -v '^src/alur/web/' | LC_ALL=C sort)

extract() {
    xgettext --language=Python --from-code=UTF-8 \
        --keyword=_ --keyword=gettext --keyword=ngettext:1,2 --keyword=N_ --keyword=Np_:1,2 \
        --add-comments=Translators --add-location=file --sort-by-file \
        --package-name=alur -o "$1" $FILES
}

if [ "$CHECK" = "--check" ]; then
    TMP=$(mktemp -d)
    trap 'rm -rf "$TMP"' EXIT
    extract "$TMP/alur.pot"
    status=0
    for po in "$LOCALE"/*/LC_MESSAGES/alur.po; do
        msgmerge --quiet --no-fuzzy-matching -o "$TMP/merged.po" "$po" "$TMP/alur.pot"
        if [ -n "$(msgattrib --untranslated --no-obsolete "$TMP/merged.po")" ] || \
           [ -n "$(msgattrib --only-obsolete "$TMP/merged.po")" ]; then
            echo "$po is out of date: run tools/update_messages.sh and translate" >&2
            status=1
        fi
    done
    exit $status
fi

extract "$POT"
for po in "$LOCALE"/*/LC_MESSAGES/alur.po; do
    # No fuzzy matching: a guessed translation of a changed message is worse than none, and
    # untranslated entries are easy to find (msgattrib --untranslated) and fail the tests.
    msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$POT"
    msgattrib --no-obsolete -o "$po" "$po"
    msgfmt --check -o "${po%.po}.mo" "$po"
    echo "$po: $(msgfmt --statistics -o /dev/null "$po" 2>&1)"
done
