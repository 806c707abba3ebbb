"""`alur verify FILE.pdf`: check a signed SOP's electronic signature from the command line;
`alur sign`: sign the approved SOPs the seal could not sign when they were approved.

The signature is checked without any database (alur.web.signing.validation): intact, covering
the whole file, and who signed it. With the web application's database (--data, or
ALUR_DATA_DIR / DATABASE_URL in the environment) the file is also looked up by its SHA-256
among the documents this installation signed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import click

from alur.i18n import N_, _

from .translated import argument
from .web import data_option, django_setup


def register(main: click.Group, context: dict[str, Any]) -> None:
    _register_sign(main, context)

    @main.command("verify", context_settings=context, help=N_(
        "Check the electronic signature of a signed SOP PDF: intact, covering the whole "
        "file, and who signed it. Exit 1 if the file is not as it was signed."))
    @argument("file", metavar=N_("FILE"), type=click.Path(exists=True, dir_okay=False,
                                                           path_type=Path))
    @data_option
    def verify_command(file: Path, data_dir: Path | None) -> None:
        from alur.web.signing.validation import check_pdf

        data = file.read_bytes()
        result = check_pdf(data)
        if not result.readable:
            click.echo(_("✘ '{path}' is not a readable PDF file.").format(path=file), err=True)
        elif not result.signed:
            click.echo(_("✘ '{path}' carries no electronic signature.").format(path=file),
                       err=True)
        elif not result.valid:
            click.echo(_("✘ The electronic signature of '{path}' is NOT valid: the file was "
                         "changed after it was signed.").format(path=file), err=True)
        else:
            click.echo(_("✔ The electronic signature of '{path}' is intact and covers the "
                         "whole file.").format(path=file))
            click.echo("  " + _("Signed by: {signer}").format(signer=result.signer))
            if result.signed_at is not None:
                click.echo("  " + _("Signed at: {when}").format(
                    when=result.signed_at.strftime("%Y-%m-%d %H:%M %Z")))
            if result.demo:
                click.echo("  " + _("Note: a demo seal, not a certified electronic "
                                    "signature (TTE)."))
        if data_dir is not None or os.environ.get("ALUR_DATA_DIR") or \
                os.environ.get("DATABASE_URL"):
            _look_up(hashlib.sha256(data).hexdigest(), data_dir)
        if not result.valid:
            raise SystemExit(1)


def _register_sign(main: click.Group, context: dict[str, Any]) -> None:
    @main.command("sign", context_settings=context, help=N_(
        "Sign the approved SOPs whose PDF is not signed yet (the seal was missing or failed "
        "when they were approved); run it once the seal is fixed."))
    @data_option
    def sign_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.signing.services import sign_pending

        signed, unsigned = sign_pending()
        click.echo(_("{signed} approved SOP(s) signed; {unsigned} still unsigned.").format(
            signed=signed, unsigned=unsigned))
        if unsigned:
            click.echo(_("The seal could not sign them: the server's log says why."), err=True)
            raise SystemExit(1)


def _look_up(digest: str, data_dir: Path | None) -> None:
    """Say which signed version the file is, when this installation's database knows it."""
    django_setup(data_dir)
    from django.db import DatabaseError

    from alur.web.signing.models import SignedDocument
    from alur.web.signing.services import verification_url

    try:
        signed = SignedDocument.objects.select_related("version").filter(sha256=digest).first()
    except DatabaseError:
        click.echo("  " + _("(The alur database could not be read; the file was not looked "
                            "up.)"), err=True)
        return
    if signed is None:
        click.echo("  " + _("This file is not among the documents signed by this alur "
                            "installation."))
        return
    click.echo("  " + _("Signed by this installation: {name}, version {number}, code {code} "
                        "({url}).").format(name=signed.version.name,
                                           number=signed.version.number, code=signed.code,
                                           url=verification_url(signed.code)))
