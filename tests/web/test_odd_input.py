"""Odd input gets a clear 4xx or an empty page, never a 500: NUL characters anywhere in a
request (PostgreSQL cannot store or compare them), offsets past the end of the API's list.

Run on PostgreSQL too (`make test`, or DATABASE_URL=postgres://… pytest this file): there a
NUL that reached a query or a saved document raised instead of answering.
"""

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse

from alur.sop import to_data
from alur.web.api.api import MAX_OFFSET
from alur.web.api.models import ApiToken
from alur.web.library.models import SopVersion
from alur.web.library.queries import MAX_WORD_LENGTH, MAX_WORDS, search_words
from alur.web.odd_input import carries_nul, has_nul

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.fixture
def token(user_factory, units):
    user = user_factory("penyusun-api", "penyusun", units["dinsos"])
    return {"Authorization": f"Bearer {ApiToken.issue(user, 'uji')[1]}"}


@pytest.fixture
def author(client, user_factory, units):
    client.force_login(user_factory("penulis-odd", "penyusun", units["dinsos"]))
    return client


def _refused(response) -> None:
    assert response.status_code == 400, response.content[:300]
    assert "NUL" in response.content.decode()


# -- NUL ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [{"q": f"surat{NUL}"}, {"q": NUL}, {"status": f"draft{NUL}"},
                                    {f"q{NUL}": "surat"}])
def test_nul_in_library_search_is_refused(author, library, params):
    _refused(author.get(reverse("library:list"), params))


def test_nul_in_case_search_is_refused(author, library):
    _refused(author.get("/kasus/", {"q": f"a{NUL}b"}))


def test_search_without_nul_still_finds(author, library):
    page = author.get(reverse("library:list"), {"q": "surat keluar"}).content.decode()
    assert "SURAT KELUAR" in page


def test_nul_in_an_api_query_is_refused(client, token, library):
    response = client.get("/api/sops", {"q": f"surat{NUL}"}, headers=token)
    _refused(response)
    assert response["Content-Type"] == "application/json"
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("where", ["name", "actor", "key", "nested"])
def test_nul_in_an_api_json_string_is_refused(client, token, library, units, where):
    document = to_data(library["draft"].document)
    document["id"] = "surat-keluar-nul"
    if where == "name":
        document["name"] = f"SURAT{NUL}KELUAR"
    elif where == "actor":
        document["actors"][0]["name"] = f"Kepala{NUL}"
    elif where == "key":
        document[f"catatan{NUL}"] = "x"
    else:
        document["steps"][0]["inputs"] = [f"berkas {NUL}"]
    before = SopVersion.objects.count()
    body = json.dumps({"unit": units["dinsos"].pk, "document": document})
    assert "\\u0000" in body  # sent as JSON sends it
    response = client.post("/api/sops", body, content_type="application/json", headers=token)
    _refused(response)
    assert SopVersion.objects.count() == before


def test_nul_in_a_form_field_is_refused(author, library):
    draft = library["draft"]
    response = author.post(reverse("library:edit", args=[draft.public_id]),
                           {"name": f"SURAT{NUL}", "mode": "yaml", "yaml": f"id: a{NUL}"})
    _refused(response)
    draft.refresh_from_db()
    assert NUL not in draft.name


def test_nul_in_the_path_is_refused(author):
    _refused(author.get("/sop/%00/"))


def test_escaped_backslash_is_not_nul():
    """`\\\\u0000` in JSON is a backslash followed by 'u0000': text, allowed."""
    factory = RequestFactory()
    text = json.dumps({"name": "C:\\u0000"})
    assert "\\\\u0000" in text
    assert not carries_nul(factory.post("/api/sops", text, content_type="application/json"))
    nul = json.dumps({"a": [{"b": NUL}]})
    assert carries_nul(factory.post("/api/sops", nul, content_type="application/json"))
    assert carries_nul(factory.post("/api/sops", nul.upper().replace("\\U", "\\u"),
                                    content_type="application/json"))
    assert has_nul({"x": [1, {"y": ["ok", NUL]}]}) and not has_nul({"x": [1, None, "ok"]})


def test_a_body_that_is_not_json_is_left_to_the_view(client, token):
    response = client.post("/api/sops", b"{\\u0000", content_type="application/json",
                           headers=token)
    assert response.status_code in (400, 422)


# -- offsets ------------------------------------------------------------------------------------
def test_offset_past_the_end_is_an_empty_page(client, token, library):
    for offset in (3, 1000, MAX_OFFSET):
        response = client.get("/api/sops", {"offset": offset}, headers=token)
        assert response.status_code == 200
        data = response.json()
        assert data["items"] == [] and data["count"] == 3 and data["offset"] == offset


@pytest.mark.parametrize("offset", ["-1", str(MAX_OFFSET + 1), str(10**30), "abc", "1e3"])
def test_bad_offset_is_a_client_error(client, token, library, offset):
    response = client.get("/api/sops", {"offset": offset}, headers=token)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "offset"


# -- long searches --------------------------------------------------------------------------------
@pytest.mark.parametrize("q", ["a" * 100_000, "a " * 50_000,
                               " ".join(f"kata{i}" for i in range(5000))])
def test_a_pasted_page_as_search_is_answered(author, client, token, library, q):
    """SQLite refuses a LIKE pattern over 50,000 bytes and thousands of filters are a slow
    query: the search takes its first words, each cut, and answers."""
    assert author.get(reverse("library:list"), {"q": q}).status_code == 200
    response = client.get("/api/sops", {"q": q}, headers=token)
    assert response.status_code == 200
    assert response.json()["count"] == (3 if q.startswith("a ") else 0)  # "a" is in all three


def test_search_words_are_few_distinct_and_cut():
    assert search_words("Surat surat KELUAR") == ["surat", "keluar"]
    assert search_words("x" * 500) == ["x" * MAX_WORD_LENGTH]
    assert len(search_words(" ".join(str(i) for i in range(1000)))) == MAX_WORDS

