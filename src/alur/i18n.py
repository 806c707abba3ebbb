"""Translations of the core's text: findings, loader and importer messages, the `alur` command.

The project rule is "Indonesian for people, English for code": messages are written in the code
in English (the gettext msgids, which every developer and translator can read) and shown in
Bahasa Indonesia by default through the catalog `locale/id/LC_MESSAGES/alur.po`. English is
available by asking for it; the English text *is* the msgid, so it needs no catalog.

Usage::

    from alur.i18n import _, ngettext

    message = _("Step {number} has no actor.").format(number=step.number)

Always translate the template and fill in the values afterwards with *named* placeholders, so a
translator can reorder them. Text needed before a language is known (module-level tables, click
help texts) is marked with :func:`N_` and translated where it is shown.

Which language: the first of

1. :func:`override` / :func:`activate` — a `ContextVar`, so a thread or an asyncio task that
   asks for English does not change the language of another one;
2. Django's active language, but only when Django is already imported and its settings are
   configured — the web application renders findings in the language of the person looking at
   the page, and the core must not import (or configure) Django itself, because the checker,
   the importers and the command line run without it;
3. the environment variable ``ALUR_LANGUAGE`` (``id``, ``en``) — for the command line and
   scripts; the usual ``LANG``/``LC_*`` are deliberately *not* read, since many servers and
   developer machines run an English locale and Indonesian must stay the default for users;
4. ``id``.

A language without a catalog (``fr``) at any step is ignored and the next step decides, so a
stray setting can never switch the program to the untranslated English it was not asked for.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import os
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "ENV_VAR",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "_",
    "activate",
    "available_languages",
    "deactivate",
    "get_language",
    "gettext",
    "ngettext",
    "override",
]

DOMAIN = "alur"
LOCALE_DIR = Path(__file__).resolve().with_name("locale")
DEFAULT_LANGUAGE = "id"
SOURCE_LANGUAGE = "en"  # the language of the msgids: shown as written, no catalog needed
ENV_VAR = "ALUR_LANGUAGE"

_active: ContextVar[str | None] = ContextVar("alur_language", default=None)


@cache
def available_languages() -> frozenset[str]:
    """Languages messages can be shown in: English (the msgids) and every compiled catalog."""
    found = {SOURCE_LANGUAGE}
    if LOCALE_DIR.is_dir():
        found.update(mo.parents[1].name for mo in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return frozenset(found)


def _supported(language: object) -> str | None:
    """`en-us`, `en_US`, `EN` → `en`; `id-ID` → `id`; None for empty or unsupported input.

    Django names languages `en-us`, POSIX `en_US`; catalogs are per language (`id`, `en`), so
    a region falls back to its language.
    """
    if not isinstance(language, str) or not language.strip():
        return None
    code = language.strip().replace("_", "-").lower()
    available = available_languages()
    if code in available:
        return code
    primary = code.split("-", 1)[0]
    return primary if primary in available else None


def _django_language() -> str | None:
    """Django's active language when the web application is running, else None.

    Checking `sys.modules` instead of importing keeps Django out of processes that do not use
    it (`alur check` starts faster and works without Django installed). Outside a request
    Django answers `LANGUAGE_CODE`; after `deactivate_all()` it answers None.
    """
    if "django.utils.translation" not in sys.modules:
        return None
    try:
        from django.conf import settings

        if not settings.configured:
            return None
        from django.utils import translation

        return translation.get_language()
    except Exception:  # a half-configured Django must never break a finding's message
        return None


def get_language() -> str:
    """The language messages are shown in now (a supported code such as `id` or `en`)."""
    for candidate in (_active.get(), _django_language(), os.environ.get(ENV_VAR)):
        language = _supported(candidate)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def activate(language: str | None) -> None:
    """Show messages in `language` in this context (thread, task) from now on.

    None goes back to the automatic choice (Django, `ALUR_LANGUAGE`, Indonesian). Prefer
    :func:`override`, which restores the previous language by itself.
    """
    _active.set(language)


def deactivate() -> None:
    """Forget :func:`activate`: the automatic choice decides again."""
    _active.set(None)


@contextlib.contextmanager
def override(language: str | None) -> Iterator[None]:
    """`with override("en"):` — messages in English inside the block, as before after it."""
    token = _active.set(language)
    try:
        yield
    finally:
        _active.reset(token)


@cache
def _translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of `language`, read once per process."""
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def gettext(message: str) -> str:
    """`message` (an English msgid) in the current language."""
    return _translations(get_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` of a message with plural forms (Indonesian has one form, English two)."""
    return _translations(get_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it yet (gettext_noop).

    For text defined before any language is known — tables at module level, click help texts —
    and translated with :func:`gettext` where it is shown.
    """
    return message


_ = gettext
