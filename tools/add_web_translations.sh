#!/bin/sh
# Add translations to the web application's Django catalog from a fragment .po file.
#
#   tools/add_web_translations.sh fragment.po
#
# Re-extracts the catalog with makemessages (as docs/translation.md describes), fills entries
# from the fragment (msgid/msgstr pairs; plurals with msgid_plural and msgstr[0]), keeps every
# translation already there, and compiles. Runs under a lock so people adding translations at
# the same time never overwrite each other's.
set -eu
cd "$(dirname "$0")/.."
FRAGMENT=$(realpath "$1")
PO=src/alur/web/locale/id/LC_MESSAGES/django.po
exec 9>/tmp/alur-web-catalog.lock
flock 9
(cd src/alur/web && DJANGO_SETTINGS_MODULE=alur.web.settings ../../../.venv/bin/django-admin \
    makemessages -l id --ignore 'static/*' --no-obsolete --add-location file >/dev/null)
# makemessages guesses translations for new strings from similar ones ("fuzzy"); such a guess
# is usually wrong, so it is emptied here and filled from the fragment, or left to translate.
msgattrib --clear-fuzzy --empty --clear-previous -o "$PO" "$PO"
msgmerge --quiet --no-fuzzy-matching --compendium="$FRAGMENT" -o "$PO.new" "$PO" "$PO"
mv "$PO.new" "$PO"
msgfmt --check -o "${PO%.po}.mo" "$PO"
