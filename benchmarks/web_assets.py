"""Page weight, run by hand: `.venv/bin/python benchmarks/web_assets.py [--files]`.

Target (issue 16): no page ships more than 150 kB of CSS and JavaScript of its own. For each
main page it prints the bytes of the stylesheets and scripts the page loads, alur's own
(static/alur/*) apart from the vendored libraries (static/vendor/*, listed separately and not
counted against the target), raw and gzip-compressed (what whitenoise serves to a browser that
asks for it). kB are 1,000 bytes.

The pages are those of the accessibility test (tests/web/browser_office.py: every main page of
every role, in an office with an approved SOP, a running case with an open task, a draft, a
draft waiting for approval), rendered through Django's test client on a fresh SQLite store in a
temporary folder; a page's assets are the <link rel="stylesheet"> and <script src> of its HTML.
A page seen by several roles counts its heaviest version. `--files` lists each page's files.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "alur" / "web" / "static"
TARGET = 150_000  # bytes of alur's own CSS and JavaScript on one page
ASSET = re.compile(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"|<script[^>]*src="([^"]+)"')


@dataclass
class Weight:
    files: dict[str, int] = field(default_factory=dict)  # static path → bytes

    def total(self, prefix: str, suffix: str = "") -> int:
        return sum(n for path, n in self.files.items()
                   if path.startswith(prefix) and path.endswith(suffix))

    def gzipped(self, prefix: str) -> int:
        return sum(len(gzip.compress((STATIC / path).read_bytes(), 9))
                   for path in self.files if path.startswith(prefix))


def assets(html: str, static_url: str) -> Weight:
    weight = Weight()
    for css, js in ASSET.findall(html):
        url = (css or js).split("?")[0]
        if not url.startswith(static_url):
            raise SystemExit(f"an asset from outside the app: {url}")
        path = url[len(static_url):]
        weight.files[path] = (STATIC / path).stat().st_size
    return weight


def measure() -> dict[str, Weight]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    sys.path.insert(0, str(ROOT))
    from tests.web.browser_office import ROLES, Page, build_office, pages_for

    call_command("migrate", verbosity=0)
    office = build_office()
    static_url = "/" + (settings.STATIC_URL or "").lstrip("/")
    pages: dict[str, Weight] = {}

    def weigh(client: Client, page: Page) -> None:
        response = client.get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"{page.name} ({page.path}): HTTP {response.status_code}")
        weight = assets(response.content.decode(), static_url)
        known = pages.get(page.name)
        if known is None or weight.total("alur/") > known.total("alur/"):
            pages[page.name] = weight

    weigh(Client(), Page("login", "/masuk/"))
    from django.contrib.auth import get_user_model

    for role in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=office.usernames[role]))
        for page in pages_for(role, office):
            weigh(client, page)
    return pages


def report(pages: dict[str, Weight], files: bool) -> bool:
    def kb(n: int) -> str:
        return f"{n / 1000:6.1f}"

    print("kB per page (1 kB = 1,000 bytes); gz: gzip -9, as served compressed\n")
    print(f"{'page':<20} {'own CSS':>7} {'own JS':>7} {'own':>7} {'own gz':>7}   "
          f"{'vendor CSS':>10} {'vendor JS':>9} {'vendor':>7} {'vendor gz':>9}   target")
    ok = True
    for name, w in sorted(pages.items(), key=lambda item: -item[1].total("alur/")):
        own = w.total("alur/")
        ok &= own <= TARGET
        print(f"{name:<20} {kb(w.total('alur/', '.css')):>7} {kb(w.total('alur/', '.js')):>7} "
              f"{kb(own):>7} {kb(w.gzipped('alur/')):>7}   "
              f"{kb(w.total('vendor/', '.css')):>10} {kb(w.total('vendor/', '.js')):>9} "
              f"{kb(w.total('vendor/')):>7} {kb(w.gzipped('vendor/')):>9}   "
              f"{'OK' if own <= TARGET else 'OVER'} (own <= {TARGET / 1000:.0f})")
        if files:
            for path, n in w.files.items():
                print(f"    {path:<40} {kb(n)}")
    heaviest = max(pages.items(), key=lambda item: item[1].total("alur/"))
    print(f"\nheaviest own: {heaviest[0]}, {heaviest[1].total('alur/') / 1000:.1f} kB "
          f"(target {TARGET / 1000:.0f} kB): {'OK' if ok else 'OVER TARGET'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", action="store_true", help="list each page's files")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="alur-assets-")
    os.environ.update({"ALUR_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "alur.web.settings",
                       "ALLOWED_HOSTS": "testserver", "ALUR_DEBUG": ""})
    os.environ.pop("DATABASE_URL", None)
    try:
        ok = report(measure(), args.files)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
