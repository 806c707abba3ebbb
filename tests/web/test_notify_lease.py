"""`alur notify` never loses an e-mail: a notification is leased before sending and marked
sent only after, so a crash before sending leaves it pending, a crash between sending and
marking sends it again once the lease runs out (a duplicate, documented), and overlapping runs
send each notification once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from alur.web.cases import notify, services
from alur.web.cases.models import Notification

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    position_of,
    small_sop,
)

pytestmark = pytest.mark.django_db


class Crash(Exception):
    """The process dying (kill -9, a full disk): nothing in notify catches it."""


@pytest.fixture
def pending(units, user_factory, mailoutbox):
    """Two cases started: Budi (holder of 'staf') has two NEW_TASK notifications pending."""
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-sewa", [
        {"number": 1, "activity": "Siapkan berkas", "actors": ["staf"], "time": "5 hari"},
        {"number": 2, "activity": "Periksa berkas", "actors": ["kasubag"]}]),
        units["dinsos"], author)
    budi = make_person(user_factory, "budi", units["dinsos"],
                       positions=[position_of(version, "staf")])
    starter = make_person(user_factory, "peminta", units["dinsos"])
    for title in ("Kasus A", "Kasus B"):
        services.start_case(version, starter, title=title)
    assert Notification.objects.filter(person=budi, emailed_at__isnull=True).count() == 2
    return budi


def sent_to(person) -> list[str]:
    return [m.to[0] for m in django_mail.outbox if m.to == [person.email]]


def unsent() -> int:
    return Notification.objects.filter(emailed_at__isnull=True).count()


def test_a_crash_before_sending_leaves_it_unsent(pending, monkeypatch):
    def crash(*args, **kwargs):
        raise Crash

    monkeypatch.setattr(notify, "send_mail", crash)
    now = timezone.now()
    with pytest.raises(Crash):
        notify.run(now)
    assert sent_to(pending) == [] and unsent() == 2
    monkeypatch.undo()
    # Leased to the dead run until the lease runs out, then sent.
    assert notify.run(now + dt.timedelta(seconds=1)).emails == 0
    result = notify.run(now + notify.LEASE)
    assert result.emails == 1 and result.notifications == 2
    assert len(sent_to(pending)) == 1 and unsent() == 0


def test_a_crash_after_sending_sends_again_rather_than_lose_it(pending, monkeypatch):
    real_send = notify.send_mail

    def send_then_crash(*args, **kwargs):
        real_send(*args, **kwargs)
        raise Crash  # sent, but the run dies before marking

    monkeypatch.setattr(notify, "send_mail", send_then_crash)
    now = timezone.now()
    with pytest.raises(Crash):
        notify.run(now)
    assert len(sent_to(pending)) == 1 and unsent() == 2  # not marked: not lost
    monkeypatch.undo()
    assert notify.run(now + dt.timedelta(minutes=1)).emails == 0  # still leased
    assert notify.run(now + notify.LEASE).emails == 1
    assert len(sent_to(pending)) == 2 and unsent() == 0  # the documented duplicate
    assert notify.run(now + 2 * notify.LEASE).emails == 0


def test_overlapping_runs_send_each_notification_once(pending, monkeypatch):
    """A second run starting while the first is sending finds the notifications leased."""
    real_send = notify.send_mail
    inner = []

    def send(*args, **kwargs):
        if not inner:  # the overlapping run, between this run's lease and its mark
            inner.append(notify.run())
        return real_send(*args, **kwargs)

    monkeypatch.setattr(notify, "send_mail", send)
    result = notify.run()
    assert result.emails == 1 and inner[0].emails == 0
    assert len(sent_to(pending)) == 1 and unsent() == 0


def test_a_refused_send_releases_the_lease(pending, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("putus")

    monkeypatch.setattr(notify, "send_mail", refuse)
    assert notify.run().failed == 2
    assert not Notification.objects.filter(claimed_until__isnull=False).exists()
    monkeypatch.undo()
    assert notify.run().emails == 1  # at once: a known failure holds no lease
    assert unsent() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent connections need PostgreSQL")
def test_concurrent_runs_on_postgresql_send_once(pending, monkeypatch):
    """Two runs in two threads (two connections), both reading the pending list first."""
    from django.db import connections

    real_send = notify.send_mail
    both_read = threading.Barrier(2, timeout=30)
    real_claim = notify._claim

    def claim(*args, **kwargs):
        both_read.wait()  # both runs have read the same pending notifications
        return real_claim(*args, **kwargs)

    lock = threading.Lock()

    def send(*args, **kwargs):
        with lock:
            return real_send(*args, **kwargs)

    monkeypatch.setattr(notify, "_claim", claim)
    monkeypatch.setattr(notify, "send_mail", send)
    results = []

    def one_run():
        try:
            results.append(notify.run())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.emails for r in results) == [0, 1]
    assert len(sent_to(pending)) == 1 and unsent() == 0
