"""Ids for SOPs and actors, made from their Indonesian names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = 60) -> str:
    """'Pengadm. Umum' → 'pengadm-umum'; empty string when nothing usable is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        if slug[max_length] != "-":  # the cut fell inside a word: drop that word
            cut = cut.rsplit("-", 1)[0] or cut
        slug = cut.strip("-")
    return slug


def unique_slug(base: str, taken: Collection[str], fallback: str = "sop") -> str:
    """`base`, or `base-2`, `base-3` … so ids stay unique within a library."""
    base = base or fallback
    if base not in taken:
        return base
    counter = 2
    while f"{base}-{counter}" in taken:
        counter += 1
    return f"{base}-{counter}"
