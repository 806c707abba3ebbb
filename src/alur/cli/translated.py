"""Click commands whose help texts are translated when shown, not when defined.

Click builds commands at import time, before `ALUR_LANGUAGE` or `alur.i18n.override` can say
which language the help should be in, so translating there would freeze it. These classes keep
the English msgid (marked with `N_`) and translate it each time click reads `help` or
`metavar`, which is when a help page or an error message is being written.

Click's own words ("Usage:", "Options:", "Show this message and exit.") come from click and are
not translated here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from click.decorators import FC

from alur.i18n import gettext


class _TranslatedHelp:
    """`help` stores the msgid and reads as its translation."""

    _help_msgid: str | None = None

    @property
    def help(self) -> str | None:
        return gettext(self._help_msgid) if self._help_msgid else self._help_msgid

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_msgid = value


class Command(_TranslatedHelp, click.Command):
    """A command whose help text (`help=N_(...)`) is shown in the current language."""


class Group(_TranslatedHelp, click.Group):
    """A group whose help, and that of every command and group added to it, is translated."""

    command_class = Command
    group_class = type  # click's convention: subgroups are of this same class


class Option(_TranslatedHelp, click.Option):
    """An option whose `help` is shown in the current language."""


class Argument(click.Argument):
    """An argument whose `metavar` (SUMBER..., BERKAS) is shown in the current language."""

    _metavar_msgid: str | None = None

    @property
    def metavar(self) -> str | None:
        return gettext(self._metavar_msgid) if self._metavar_msgid else self._metavar_msgid

    @metavar.setter
    def metavar(self, value: str | None) -> None:
        self._metavar_msgid = value


def option(*param_decls: str, **attrs: Any) -> Callable[[FC], FC]:
    """`click.option` making an :class:`Option`."""
    return click.option(*param_decls, cls=Option, **attrs)


def argument(*param_decls: str, **attrs: Any) -> Callable[[FC], FC]:
    """`click.argument` making an :class:`Argument`."""
    return click.argument(*param_decls, cls=Argument, **attrs)
