#!/bin/sh
# Add translations to the core catalog from a fragment .po file, then re-extract and compile.
#
#   tools/add_translations.sh fragment.po
#
# The fragment holds only the new msgid/msgstr pairs (plural pairs with msgid_plural and
# msgstr[0]/msgstr[1]). It runs tools/update_messages.sh with the fragment as compendium, under a
# lock, so several people adding messages at once never overwrite each other's translations.
set -eu
cd "$(dirname "$0")/.."
FRAGMENT=$(realpath "$1")
LOCALE=src/alur/locale
PO=$LOCALE/id/LC_MESSAGES/alur.po
exec 9>/tmp/alur-catalog.lock
flock 9
tools/update_messages.sh >/dev/null
msgmerge --quiet --no-fuzzy-matching --compendium="$FRAGMENT" -o "$PO.new" "$PO" "$LOCALE/alur.pot"
mv "$PO.new" "$PO"
msgattrib --no-obsolete -o "$PO" "$PO"
msgfmt --check -o "${PO%.po}.mo" "$PO"
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid' || true)
echo "$PO: $(msgfmt --statistics -o /dev/null "$PO" 2>&1)"
[ "$untranslated" = 0 ] || { msgattrib --untranslated --no-obsolete "$PO" | grep -A1 '^msgid' | head -40; exit 1; }
