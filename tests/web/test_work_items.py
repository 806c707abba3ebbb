"""The one list behind Tugas saya and the notifications for work that is not a case task."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alur.web.cases import notify
from alur.web.cases.models import Notification
from alur.web.org.models import Person
from alur.web.work import WorkItem, items, notify_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the real one back afterwards."""
    monkeypatch.setattr(items, "_providers", [])
    monkeypatch.setattr(items, "_recorders", [])
    return items


@pytest.fixture
def evaluator(user_factory, units):
    user = user_factory("evaluator", "evaluator", units["dinsos"])
    person = Person.objects.create(user=user, name="Evaluator Inspektorat",
                                   email="evaluator@example.go.id")
    return user, person


def test_work_items_come_due_first_then_longest_waiting(registry, evaluator):
    user, person = evaluator
    now = timezone.now()
    late = WorkItem("monitoring", "Pemantauan", "Isi formulir pemantauan", "Dinas Sosial",
                    "/pemantauan/1/", due=now.date() - dt.timedelta(days=3))
    waiting = WorkItem("evaluation", "Evaluasi", "Evaluasi SOP", "SOP Cuti", "/evaluasi/2/",
                       since=now - dt.timedelta(days=9))
    soon = WorkItem("evaluation", "Evaluasi", "Evaluasi SOP", "SOP Surat", "/evaluasi/3/",
                    due=now.date() + dt.timedelta(days=5))
    registry.provider(lambda u, p, n: [waiting, soon, late])
    assert items.work_items(user, person, now) == [late, soon, waiting]
    assert late.overdue(now.date()) and not soon.overdue(now.date())


def test_tugas_saya_lists_the_work_and_says_what_is_late(client, registry, evaluator):
    user, person = evaluator
    today = timezone.localdate()
    registry.provider(lambda u, p, n: [WorkItem(
        "monitoring", "Pemantauan", "Isi formulir pemantauan semester 2", "Dinas Sosial",
        "/pemantauan/7/", due=today - dt.timedelta(days=2))] if p == person else [])
    client.force_login(user)
    page = client.get(reverse("cases:inbox")).content.decode()
    assert "Isi formulir pemantauan semester 2" in page and 'href="/pemantauan/7/"' in page
    assert "lewat" in page  # marked overdue
    assert "Akun Anda belum ditautkan" not in page


def test_an_evaluator_without_an_employee_record_still_sees_the_menu(client, user_factory,
                                                                     units):
    user = user_factory("evaluator2", "evaluator", units["dinsos"])
    client.force_login(user)
    page = client.get(reverse("home:home")).content.decode()
    assert reverse("cases:inbox") in page


def test_a_recorder_notifies_each_person_once_and_the_mail_names_the_work(registry,
                                                                          evaluator):
    _, person = evaluator

    @registry.recorder
    def monitoring_due(now):
        return notify_once([person.pk], Notification.Kind.MONITORING_DUE,
                           "Pemantauan SOP Dinas Sosial semester 2 2026", "/pemantauan/7/",
                           key="monitoring:7:2026-2")

    @registry.recorder
    def broken(now):
        raise RuntimeError("a recorder that fails must not stop the others")

    notify.run()
    notify.run()  # the same key again: nothing new
    notes = Notification.objects.filter(person=person)
    assert notes.count() == 1 and notes[0].case is None
    assert len(mail.outbox) == 1
    assert "Pemantauan SOP Dinas Sosial semester 2 2026" in mail.outbox[0].body
    assert "/pemantauan/7/" in mail.outbox[0].body


def test_the_notifications_page_links_to_the_work(client, evaluator):
    user, person = evaluator
    notify_once([person.pk], Notification.Kind.EVALUATION_DUE, "Evaluasi tahunan SOP Cuti",
                "/evaluasi/3/", key="evaluation:3:2026")
    client.force_login(user)
    page = client.get(reverse("cases:notifications")).content.decode()
    assert 'href="/evaluasi/3/">Evaluasi tahunan SOP Cuti</a>' in page


def test_the_home_page_shows_the_work_first(client, registry, evaluator):
    user, _ = evaluator
    registry.provider(lambda u, p, n: [WorkItem(
        "evaluation", "Evaluasi", "Evaluasi tahunan SOP Cuti", "Dinas Sosial", "/evaluasi/3/",
        due=timezone.localdate() + dt.timedelta(days=10))])
    client.force_login(user)
    page = client.get(reverse("home:home")).content.decode()
    assert 'href="/evaluasi/3/">Evaluasi tahunan SOP Cuti</a>' in page
    assert "Semua 1 butir" in page
