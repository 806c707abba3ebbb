"""Tests for alur.sop.slug: ids made from Indonesian names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alur.sop.model import Actor, Sop
from alur.sop.slug import slugify, unique_slug

HYPHEN_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.mark.parametrize("text, expected", [
    ("Pengadm. Umum", "pengadm-umum"),
    ("Penyusunan Rencana Kerja (Renja)", "penyusunan-rencana-kerja-renja"),
    ("SOP.014.SEKRE", "sop-014-sekre"),
    ("Kasubag & Kasubid", "kasubag-kasubid"),
    ("Staf/Jabatan Fungsional Umum", "staf-jabatan-fungsional-umum"),
    ("  --Tim Anjab--  ", "tim-anjab"),
    ("060/712/KESBAN/2019", "060-712-kesban-2019"),
    ("surat_keluar", "surat-keluar"),
])
def test_slugify(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Éselon Ñandú Café", "eselon-nandu-cafe"),
    ("Rapat Koordinasi Dinas Sosial – Ü", "rapat-koordinasi-dinas-sosial-u"),
    ("ﬁnal", "final"),          # a ligature decomposes under NFKD
    ("Ⅳ Bagian", "iv-bagian"),  # so does a Roman numeral
])
def test_slugify_strips_accents(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!!", "□ ◇ ±", "日本語", "—"])
def test_slugify_nothing_usable_is_empty(text):
    assert slugify(text) == ""


def test_slugify_default_max_length_is_60():
    assert slugify("a" * 70) == "a" * 60
    words = " ".join(["pelaksanaan"] * 10)  # 119 characters as a slug
    assert slugify(words) == "-".join(["pelaksanaan"] * 5)  # 59 characters, cut at a hyphen


@pytest.mark.parametrize("max_length, expected", [
    (24, "penyusunan-rencana-kerja"),
    (23, "penyusunan-rencana"),
    (19, "penyusunan-rencana"),
    pytest.param(18, "penyusunan-rencana"),
    (17, "penyusunan"),
    (11, "penyusunan"),
    (10, "penyusunan"),
    (4, "peny"),
])
def test_slugify_cuts_at_a_word_boundary(max_length, expected):
    assert slugify("Penyusunan Rencana Kerja", max_length=max_length) == expected


def test_slugify_short_text_untouched_by_max_length():
    assert slugify("Surat Masuk", max_length=11) == "surat-masuk"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.integers(1, 70))
def test_property_slugify_gives_a_valid_id_or_nothing(text, max_length):
    slug = slugify(text, max_length=max_length)
    assert len(slug) <= max_length
    if slug:
        assert HYPHEN_SLUG.match(slug), slug
        assert Sop(id=slug).id == slug
        assert Actor(id=slug, name=text).id == slug
    assert slugify(slug, max_length=max_length) == slug


def test_unique_slug():
    assert unique_slug("rapat", set()) == "rapat"
    assert unique_slug("rapat", {"surat"}) == "rapat"
    assert unique_slug("rapat", {"rapat"}) == "rapat-2"
    assert unique_slug("rapat", {"rapat", "rapat-2"}) == "rapat-3"
    assert unique_slug("rapat", {"rapat", "rapat-3"}) == "rapat-2"
    assert unique_slug("rapat", ["rapat", "rapat-2", "rapat-3", "rapat-4"]) == "rapat-5"


def test_unique_slug_fallback():
    assert unique_slug("", set()) == "sop"
    assert unique_slug("", {"sop"}) == "sop-2"
    assert unique_slug("", {"staf"}, fallback="staf") == "staf-2"
    assert unique_slug("", (), fallback="pelaksana") == "pelaksana"


@settings(max_examples=100, deadline=None)
@given(st.sets(st.sampled_from(["a", "a-2", "a-3", "a-5", "b", "sop", "sop-2"])),
       st.sampled_from(["a", "b", ""]))
def test_property_unique_slug_is_not_taken(taken, base):
    result = unique_slug(base, taken)
    assert result not in taken
    assert result == (base or "sop") or result.startswith((base or "sop") + "-")
