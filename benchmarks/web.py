"""Web application speed, run by hand: `.venv/bin/python benchmarks/web.py`, options
`[--db sqlite|postgres|both] [--sops 5000] [--requests 200]`.

Targets (issue text): against a library of 5,000 generated SOPs, library and SOP pages
p95 < 150 ms, live preview round trip p95 < 200 ms for a 30-step SOP and < 300 ms for a 60-step
SOP (the editor answering a keystroke, issue 16), the public archive's list and SOP page
p95 < 150 ms (issue 14), on SQLite and on PostgreSQL.

Each database gets a fresh store (SQLite: a file in a temporary ALUR_DATA_DIR; PostgreSQL: a
database created on postgres@127.0.0.1:5432 and dropped afterwards) and its own process, since
the settings read DATABASE_URL at import: the script runs itself with `--worker`. The library is
generated from the 28 curated examples (ids, names, numbers and step texts varied, spread over
about 40 units, most SOPs approved, some drafts, some with a replaced version); a few hundred go
through `services.add_sop`/`approve`, the rest are bulk-created with the same stored fields.
PostgreSQL is ANALYZEd after loading (autovacuum would do it within a minute); SQLite is left
as the app leaves it. Besides the library list, the SOP page and the preview, it times the
organisation page of the unit owning the most SOPs, which lists them. The preview posts what
the editor page's htmx posts: the fields of its form, read from the page (`editor_post`).
Requests go through Django's test client, logged in as a penyusun of the root unit; times are
in-process (no HTTP server, no network). Each row also shows how many queries its slowest
request makes; `--queries` lists the slowest SQL of every row (always listed for a row over its
target).

Last, the electronic seal, without targets (`measure_signing`): signing up to 20 approved
versions as the background job does (demo seal), downloading their signed PDFs from the
library and the public archive, and downloading the PDF of as many approved versions left
unsigned (drawn in the request, the footer saying it is not signed).
"""

from __future__ import annotations

import argparse
import copy
import random
import signal
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import workers

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "library"
AS_ADMIN = "admin:"  # a URL so marked is requested as the admin of the whole government
PAGE_TARGET, PREVIEW_TARGET, PREVIEW_60_TARGET = 150, 200, 300  # ms, p95
SIGNINGS = 20  # approved versions signed (and as many left unsigned and drawn), at most

AGENCIES = {
    "SEKRETARIAT DAERAH": ["BAGIAN ORGANISASI", "BAGIAN UMUM"],
    "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA": ["SEKRETARIAT", "BIDANG PEMBERDAYAAN"],
    "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA": ["SEKRETARIAT",
                                                              "BIDANG MUTASI"],
    "DINAS PERPUSTAKAAN DAN KEARSIPAN": ["SEKRETARIAT", "BIDANG KEARSIPAN"],
    "BADAN KESATUAN BANGSA DAN POLITIK": ["SEKRETARIAT", "BIDANG POLITIK DALAM NEGERI"],
    "DINAS KESEHATAN": ["SEKRETARIAT", "BIDANG PELAYANAN KESEHATAN"],
    "DINAS PENDIDIKAN": ["SEKRETARIAT", "BIDANG PEMBINAAN SEKOLAH DASAR"],
}
SECTIONS = ["SUBBAG UMUM DAN KEPEGAWAIAN", "SUBBAG PERENCANAAN DAN PELAPORAN"]
GOVERNMENT = "PEMERINTAH KABUPATEN BANGKA TENGAH"
# One topic per SOP (i % 100), in its name and one step: a topic matches 1% of the library.
TOPICS = [
    "posyandu", "beasiswa", "bansos", "jamkesda", "retribusi", "hibah", "irigasi", "pustakawan",
    "satpol", "koperasi", "umkm", "stunting", "kependudukan", "perizinan", "pariwisata",
    "pertanahan", "drainase", "puskesmas", "kelurahan", "transmigrasi", "sanitasi", "imunisasi",
    "gizi", "lansia", "disabilitas", "pemuda", "olahraga", "kebudayaan", "museum", "cagar",
    "nelayan", "perikanan", "peternakan", "perkebunan", "hortikultura", "pangan", "pasar",
    "perdagangan", "perindustrian", "investasi", "pajak", "aset", "pengadaan", "lelang", "kontrak",
    "jembatan", "terminal", "parkir", "angkutan", "pelabuhan", "bandara", "banjir", "kebakaran",
    "bencana", "pengungsi", "rehabilitasi", "rekonstruksi", "hutan", "mangrove", "limbah",
    "sampah", "listrik", "telekomunikasi", "statistik", "persandian", "website", "aplikasi",
    "jaringan", "server", "arsiparis", "ombudsman", "pengaduan", "inspeksi", "audit", "reviu",
    "gratifikasi", "zakat", "haji", "madrasah", "pesantren", "paud", "sekolah", "guru",
    "kurikulum", "literasi", "tenun", "batik", "kerajinan", "ekraf", "pemakaman", "pertamanan",
    "penerangan", "rusunawa", "sertifikasi", "kalibrasi", "metrologi", "tera", "vaksinasi",
    "ambulans", "rujukan"]
MANY = "dokumen"  # a common word: matches most of the library
SYNONYMS = {"Menyerahkan": "Menyampaikan", "Memeriksa": "Meneliti", "Membuat": "Menyusun",
            "Menerima": "Menerima dan mencatat", "surat": "naskah dinas"}
TIMES = ["5 menit", "10 menit", "15 menit", "30 menit", "1 jam", "2 jam", "1 hari"]


# --- the parent: one worker process per database, then the table --------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description="Web application speed (see the docstring).")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sops", type=int, default=5000, help="library size (default 5000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests a scenario")
    parser.add_argument("--queries", action="store_true",
                        help="show the slowest queries of every row, not only of a missed target")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.sops, args.requests)
        return
    # ^C raises KeyboardInterrupt; make `kill` and a closed terminal clean up the same way.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda *_: sys.exit("interrupted"))
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_worker(db, args.sops, args.requests) for db in databases}
    print()
    print(f"Library of {args.sops} SOPs, {args.requests} requests a row; "
          f"targets p95 < {PAGE_TARGET} ms (pages), < {PREVIEW_TARGET} ms (preview, 30 steps), "
          f"< {PREVIEW_60_TARGET} ms (preview, 60 steps)")
    for db, result in results.items():
        print(f"\n{db} ({result['version']}): generated in {result['generate_s']:.1f} s")
        for row in result["rows"]:
            report(row)
        for row in result["rows"]:
            if args.queries or not row["ok"]:
                print(f"\n  {row['name']}: slowest request {row['slowest_url']} made "
                      f"{row['queries']} queries ({row['query_ms']:.1f} ms in SQL); slowest:")
                for ms, sql in row["slowest_sql"]:
                    print(f"    {ms:8.1f} ms  {sql}")


def run_worker(db: str, sops: int, requests: int) -> dict:
    """Run the measurement for one database in a child process, on a scratch store."""
    return workers.run_in_scratch_store(__file__, db, "web", [
        "--sops", str(sops), "--requests", str(requests)])


def report(row: dict) -> None:
    verdict = "OK" if row["ok"] else "OVER TARGET"
    target = f"target p95 < {row['target']} ms  {verdict}" if row["target"] else \
        f"no target ({row['count']} runs)"
    print(f"  {row['name']:<48} p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  "
          f"max {row['max']:7.1f} ms  {row['queries']:3d} queries  {target}")


# --- the worker: generate, measure, print one RESULT line ----------------------------------------

def worker(db: str, sops: int, requests: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    library = generate(sops)
    generate_s = time.perf_counter() - start
    print(f"generated {sops} SOPs in {generate_s:.1f} s ({library['detail']})", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    version = f"SQLite {connection.Database.sqlite_version}" if connection.vendor == "sqlite" \
        else f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    rows = measure(library, requests)
    workers.report({"version": version, "generate_s": generate_s, "rows": rows})


def generate(count: int, services_share: int = 500) -> dict:
    """`count` SOPs varied from the curated examples; the first `services_share` through the
    services (as the import page and the editor store them), the rest bulk-created alike."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from alur.sop import from_data, load, to_data
    from alur.web.demo import unit_chain
    from alur.web.library.models import ActorLink, Sop, SopVersion, refresh_latest, search_text
    from alur.web.library.services import add_sop, approve
    from alur.web.org.models import Membership, Position, Unit

    rng = random.Random(2024)
    examples = [to_data(load(p).sop, full=True) for p in sorted(EXAMPLES.glob("*.yaml"))]
    users = get_user_model().objects
    author = users.create_user("penyusun-bench", first_name="Penyusun", last_name="Uji")
    approver = users.create_user("pengesah-bench", first_name="Pengesah", last_name="Uji")
    with transaction.atomic():
        chains = [[GOVERNMENT]]
        for agency, parts in AGENCIES.items():
            chains.append([GOVERNMENT, agency])
            for part in parts:
                chains.append([GOVERNMENT, agency, part])
                if part == "SEKRETARIAT" or part.startswith("BAGIAN"):
                    chains.extend([GOVERNMENT, agency, part, s] for s in SECTIONS)
        units = [(chain, unit_chain(chain)) for chain in chains]
    Membership.objects.create(user=author, unit=units[0][1], role="penyusun")
    homes = units[1:]  # SOPs live in agencies and below, never in the government itself

    names: list[str] = []
    texts: dict[int, str] = {}  # index → search text, to pick the search queries
    timings = {}

    def document(i: int):
        data = copy.deepcopy(examples[i % len(examples)])
        chain, unit = homes[rng.randrange(len(homes))]
        topic = TOPICS[i % len(TOPICS)]
        data["id"] = f"{data['id']}-{i:05d}"
        data["name"] = f"{data['name']} {topic.upper()}"
        data["number"] = f"800/{i:04d}/{unit.code[:12].upper()}/{2019 + i % 6}"
        data["organization"] = chain
        for step in data["steps"]:
            if isinstance(step["activity"], str):
                for old, new in SYNONYMS.items():
                    if rng.random() < 0.3:
                        step["activity"] = step["activity"].replace(old, new)
            if step.get("time"):
                step["time"] = rng.choice(TIMES)
        step = rng.choice(data["steps"])
        lines = step["activity"] if isinstance(step["activity"], list) else [step["activity"]]
        lines[-1] = f"{lines[-1].rstrip('.')} untuk kegiatan {topic}."
        step["activity"] = lines if len(lines) > 1 else lines[0]
        if names and rng.random() < 0.3:  # keterkaitan naming an SOP already in the library
            data["related"] = [*data.get("related", []), f"SOP {rng.choice(names)}."]
        result = from_data(data)
        assert result.sop is not None, result.findings
        names.append(result.sop.name)
        texts[i] = search_text(result.sop, unit.name)
        return result.sop, unit

    def fate(i: int) -> str:
        roll = i % 20
        return "draft" if roll in (3, 11) else "replaced" if roll == 7 else "approved"

    start = time.perf_counter()
    share = min(services_share, count)
    with transaction.atomic():
        for i in range(share):
            sop, unit = document(i)
            version = add_sop(sop, unit, author)
            if fate(i) != "draft":
                approve(version, approver)
            if fate(i) == "replaced":
                approve(add_sop(sop, unit, author), approver)
    timings["services"] = time.perf_counter() - start

    start = time.perf_counter()
    approved = {"status": "disahkan", "approved_by": approver, "approved_at": timezone.now(),
                "effective_date": timezone.localdate()}
    positions = {(p.unit_id, p.name): p for p in Position.objects.all()}
    with transaction.atomic():
        for first in range(share, count, 500):
            batch = [(i, *document(i)) for i in range(first, min(first + 500, count))]
            missing = {(unit.pk, actor.name) for _, sop, unit in batch for actor in sop.actors}
            missing -= positions.keys()
            made = Position.objects.bulk_create(
                [Position(unit_id=u, name=n) for u, n in sorted(missing)])
            positions.update({(p.unit_id, p.name): p for p in made})
            records = Sop.objects.bulk_create(
                [Sop(unit=unit, slug=sop.id) for _, sop, unit in batch])
            versions, links = [], []
            for (i, sop, unit), record in zip(batch, records, strict=True):
                content = to_data(sop, full=True)
                fields = {"sop": record, "content": content, "name": sop.name,
                          "sop_number": sop.number, "search_text": texts[i],
                          "created_by": author}
                if fate(i) == "replaced":
                    versions.append(SopVersion(number=1, **fields,
                                               **{**approved, "status": "diganti"}))
                    versions.append(SopVersion(number=2, **fields, **approved))
                elif fate(i) == "draft":
                    versions.append(SopVersion(number=1, **fields))
                else:
                    versions.append(SopVersion(number=1, **fields, **approved))
                links.extend(ActorLink(sop=record, actor_id=actor.id,
                                       position=positions[unit.pk, actor.name])
                             for actor in sop.actors)
            SopVersion.objects.bulk_create(versions)
            ActorLink.objects.bulk_create(links)
            refresh_latest(*(record.pk for record in records))  # what save() does
    timings["bulk"] = time.perf_counter() - start

    preview = add_sop(repeated_steps(examples, 30), units[2][1], author)  # a draft, as edited
    preview_60 = add_sop(repeated_steps(examples, 60), units[2][1], author)
    shares = {topic: sum(topic in t for t in texts.values()) for topic in TOPICS}
    rare = min(TOPICS, key=lambda t: (abs(shares[t] - count / 100), t))
    agency = units[3][1]  # an agency with its parts and sections
    busiest = Unit.objects.annotate(owned=Count("sops")).order_by("-owned", "pk").first()
    return {
        "sops": list(Sop.objects.values_list("public_id", flat=True)),
        "in_force": list(SopVersion.objects.filter(
            status="disahkan", effective_date__lte=timezone.localdate())
            .values_list("public_id", flat=True)),
        "preview": preview, "preview_60": preview_60,
        "rare": rare, "rare_hits": shares[rare],
        "many_hits": sum(MANY in t for t in texts.values()),
        "org_unit": busiest.code, "org_unit_sops": busiest.owned,
        "unit": agency.pk, "unit_hits": Sop.objects.filter(
            unit_id__in=agency.descendant_ids()).count(),
        "detail": f"{share} through add_sop/approve in {timings['services']:.1f} s, "
                  f"{count - share} bulk-created in {timings['bulk']:.1f} s; "
                  f"{len(units)} units, {SopVersion.objects.count()} versions, "
                  f"{SopVersion.objects.filter(status='draft').count()} drafts",
    }


def repeated_steps(examples: list[dict], count: int):
    """The most complete example (start, decision, end; five actors) repeated to `count`
    steps."""
    from alur.sop import from_data

    data = copy.deepcopy(next(e for e in examples if e["id"] == "pengkoordinir-penyusunan-skp"))
    base, steps = data["steps"], []
    blocks = -(-count // len(base))
    for block in range(blocks):
        offset = block * len(base)
        for step in copy.deepcopy(base):
            if len(steps) == count:
                break
            number = step["number"] + offset
            if step["kind"] == "start" and block > 0:
                step["kind"] = "process"
            if step["kind"] == "end" and number != count:
                step["kind"] = "process"
            for key in ("next", "on_yes", "on_no"):
                if step.get(key):
                    step[key] += offset
            step["number"] = number
            steps.append(step)
    steps[-1]["kind"], steps[-1]["next"] = "end", None
    data.update(id=f"skp-{count}-langkah", name=f"{data['name']} ({count} LANGKAH)", steps=steps)
    result = from_data(data)
    assert result.sop is not None and len(result.sop.steps) == count, result.findings
    return result.sop


def measure(library: dict, requests: int) -> list[dict]:
    from urllib.parse import urlencode

    from django.contrib.auth import get_user_model
    from django.test import Client

    from alur.web.org.models import Membership, Unit

    client = Client()
    client.force_login(get_user_model().objects.get(username="penyusun-bench"))
    # The fullest home page: an admin of the whole government holds every role, so the home
    # lists drafts, approvals, the monitoring schedule of every SOP in force, vacant positions.
    admin = get_user_model().objects.get_or_create(username="admin-bench")[0]
    Membership.objects.get_or_create(user=admin, role="admin",
                                      unit=Unit.objects.filter(parent__isnull=True).first())
    admin_client = Client()
    admin_client.force_login(admin)
    rng = random.Random(7)
    details = [f"/sop/{rng.choice(library['sops'])}/" for _ in range(requests)]
    public_details = [f"/publik/{rng.choice(library['in_force'])}/" for _ in range(requests)]
    # The preview as htmx posts the editor's form, read from the editor's page.
    forms = {}
    for key in ("preview", "preview_60"):
        version = library[key]
        fields = editor_post(client.get(f"/versi/{version.public_id}/ubah/").content.decode())
        assert ("step-TOTAL_FORMS", str(len(version.document.steps))) in fields, key
        forms[f"/versi/{version.public_id}/pratinjau/"] = urlencode(fields)
    preview_url, preview_60_url = forms

    def send(url: str):
        if url.startswith(AS_ADMIN):
            return admin_client.get(url.removeprefix(AS_ADMIN))
        if url in forms:
            return client.post(url, forms[url], content_type="application/x-www-form-urlencoded")
        return client.get(url)

    scenarios = [
        ("home, penyusun of the whole government", ["/"] * requests, PAGE_TARGET),
        ("home, admin of the whole government (every role)", [f"{AS_ADMIN}/"] * requests,
         PAGE_TARGET),
        ("library list, no query", ["/sop/"] * requests, PAGE_TARGET),
        (f"search q={library['rare']} ({library['rare_hits']} hits)",
         [f"/sop/?q={library['rare']}"] * requests, PAGE_TARGET),
        (f"search q={MANY} ({library['many_hits']} hits)", [f"/sop/?q={MANY}"] * requests,
         PAGE_TARGET),
        (f"unit filter ({library['unit_hits']} SOPs)",
         [f"/sop/?unit={library['unit']}"] * requests, PAGE_TARGET),
        ("library list, page 10", ["/sop/?hal=10"] * requests, PAGE_TARGET),
        ("SOP detail, random SOPs", details, PAGE_TARGET),
        (f"unit page /organisasi/ ({library['org_unit_sops']} SOPs)",
         [f"/organisasi/{library['org_unit']}/"] * requests, PAGE_TARGET),
        # The public archive (issue 14): in-force versions, anonymous in production.
        ("public archive /publik/, no query", ["/publik/"] * requests, PAGE_TARGET),
        (f"public archive q={library['rare']}", [f"/publik/?q={library['rare']}"] * requests,
         PAGE_TARGET),
        ("public archive, unit filter", [f"/publik/?unit={library['unit']}"] * requests,
         PAGE_TARGET),
        ("public archive, SOP page", public_details, PAGE_TARGET),
        ("editor preview, 30 steps", [preview_url] * requests, PREVIEW_TARGET),
        ("editor preview, 60 steps", [preview_60_url] * requests, PREVIEW_60_TARGET),
    ]
    rows = [timed(name, urls, target, send) for name, urls, target in scenarios]
    return rows + measure_signing(library, requests, send)


def timed(name: str, urls: list[str], target: int | None, send) -> dict:
    """One row: each URL requested (a few first as a warm-up), its whole body read."""
    for url in urls[:5]:  # warm-up: templates, caches, the connection
        _body(send(url))
    timings, worst, worst_url = [], -1.0, urls[0]
    for url in urls:
        start = time.perf_counter()
        response = send(url)
        body = _body(response)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (name, response.status_code)
        assert b"<svg" in body or not name.startswith(
            ("SOP", "editor", "public archive, SOP")), \
            name  # the detail and the preview draw the flowchart
        assert body.startswith(b"%PDF") or "PDF" not in name, name
        timings.append(elapsed)
        if elapsed > worst:
            worst, worst_url = elapsed, url
    queries = _queries(send, worst_url)
    return _row(name, target, timings, slowest_url=worst_url, **queries)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _row(name: str, target: int | None, timings: list[float], **extra) -> dict:
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    print(f"measured {name}: p95 {p95:.1f} ms", flush=True)
    return {"name": name, "target": target, "ok": target is None or p95 < target,
            "p50": statistics.median(timings), "p95": p95, "max": max(timings),
            "count": len(timings), **extra}


def measure_signing(library: dict, requests: int, send) -> list[dict]:
    """The electronic seal (issue 14): signing an approved version as the background job does
    (the demo seal: its PDF drawn with the verification block, signed with pyHanko, stored),
    then the signed file downloaded from the library and from the public archive, and the PDF
    of an approved version left unsigned, drawn in the request with its footer saying so.
    These have no target in the issue; signing runs in the job worker, not in a request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alur.web.library.models import SopVersion
    from alur.web.signing import services
    from alur.web.signing.signers import ensure_demo_seal

    ensure_demo_seal()
    count = min(requests, SIGNINGS)
    chosen = random.Random(11).sample(library["in_force"], 2 * count + 1)
    signing, unsigned = chosen[:count + 1], chosen[count + 1:]
    ids = dict(SopVersion.objects.filter(public_id__in=signing).values_list("public_id", "pk"))
    assert services.sign_version(ids[signing[0]]) is not None  # warm-up: WeasyPrint, pyHanko
    timings, slowest = [], {"queries": 0, "query_ms": 0.0, "slowest_sql": []}
    for public_id in signing[1:]:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            signed = services.sign_version(ids[public_id])
            elapsed = (time.perf_counter() - start) * 1000
        assert signed is not None, public_id
        if not timings or elapsed > max(timings):
            queries = sorted(((float(q["time"]) * 1000, _short(q["sql"]))
                              for q in captured.captured_queries), reverse=True)
            slowest = {"queries": len(queries), "query_ms": sum(ms for ms, _ in queries),
                       "slowest_sql": queries[:3]}
        timings.append(elapsed)
    rows = [_row(f"sign an approved version (demo seal, {count} SOPs)", None, timings,
                 slowest_url=f"sign_version({signing[-1]})", **slowest)]
    downloads = [signing[1 + i % count] for i in range(requests)]
    rows.append(timed("signed PDF download, library", [
        f"/versi/{public_id}/unduh/pdf/" for public_id in downloads], None, send))
    rows.append(timed("signed PDF download, public archive", [
        f"/publik/{public_id}/unduh/" for public_id in downloads], None, send))
    rows.append(timed(f"unsigned approved PDF download, drawn ({count} SOPs)", [
        f"/versi/{public_id}/unduh/pdf/" for public_id in unsigned], None, send))
    return rows


class _EditorForm(HTMLParser):
    """The fields of the editor's form (`form#formulir`) as the browser's FormData collects
    them: no row template's fields, no unticked box, a select's chosen (else first) option,
    a textarea without the line break after its opening tag."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.template = False, 0
        self.fields: list[tuple[str, str]] = []
        self.select: list | None = None  # [name, chosen, first]
        self.textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag: str, attributes: list) -> None:
        attrs = dict(attributes)
        if tag == "form":
            self.inside = attrs.get("id") == "formulir"
        elif tag == "template":
            self.template += 1
        if not self.inside or self.template or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "reset", "file", "image"):
                value = attrs.get("value")
                self.fields.append((name, "on" if value is None and kind == "checkbox"
                                    else value or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.select[1] = value

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "template":
            self.template -= 1
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n").replace("\r\n", "\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, chosen, first = self.select
            self.fields.append((name, chosen if chosen is not None else first or ""))
            self.select = None


def editor_post(page: str) -> list[tuple[str, str]]:
    """What the editor page's htmx posts to the preview at a keystroke: its form's fields
    without the revision and the page's copy of the draft (hx-params="not revision,base")."""
    parser = _EditorForm()
    parser.feed(page)
    return [(name, value) for name, value in parser.fields if name not in ("revision", "base")]


def _queries(send, url: str) -> dict:
    """The queries a request makes: how many, their total time and the slowest three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        send(url)
    timed = sorted(((float(q["time"]) * 1000, _short(q["sql"]))
                    for q in captured.captured_queries), reverse=True)
    return {"queries": len(timed), "query_ms": sum(ms for ms, _ in timed),
            "slowest_sql": timed[:3]}


def _short(sql: str) -> str:
    """A query on one line: its start and its end (where WHERE, ORDER BY and LIMIT are)."""
    sql = " ".join(sql.split())
    return sql if len(sql) <= 300 else f"{sql[:100]} … {sql[-200:]}"


if __name__ == "__main__":
    main()
