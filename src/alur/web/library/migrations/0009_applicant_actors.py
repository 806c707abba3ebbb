"""Routing by the SOP's `applicant` flag instead of the actor's name.

Until now an actor column whose name began with PNS, Pegawai, Pemohon, ASN, Pengusul or Pelapor
went to whoever started the case, whatever position an admin had linked. From now on only the
flag decides. To keep each stored SOP meaning what it meant to the people using it:

- a column the old rule sent to the initiator, whose linked position nobody ever held (the
  position was made automatically from the column's name), becomes `applicant: true`; its link
  goes, and so does that position when nothing else uses it;
- a column the old rule sent to the initiator but whose linked position someone was appointed
  to (an admin meant the position: "Pegawai Subbag Keuangan") stays a position, and the open,
  unclaimed tasks of running cases for it are offered to that position again.
"""

import re

from django.db import migrations

OLD_RULE = re.compile(r"^\s*(pns|pegawai|pemohon|asn|pengusul|pelapor)\b", re.I)


def _meant_position(link) -> bool:
    return link is not None and link.position.assignments.exists()


def forwards(apps, schema_editor):
    SopVersion = apps.get_model("library", "SopVersion")
    ActorLink = apps.get_model("library", "ActorLink")
    Task = apps.get_model("cases", "Task")
    Position = apps.get_model("org", "Position")
    dropped_positions = set()
    for version in SopVersion.objects.select_related("sop").iterator():
        actors = (version.content or {}).get("actors") or []
        changed = False
        for actor in actors:
            if actor.get("applicant") or not OLD_RULE.match(actor.get("name") or ""):
                continue
            link = ActorLink.objects.select_related("position").filter(
                sop=version.sop, actor_id=actor.get("id")).first()
            if _meant_position(link):
                Task.objects.filter(case__version=version, actor_id=actor.get("id"),
                                    status="open", claimed_at__isnull=True).update(
                    position=link.position, assignee=None)
                continue
            actor["applicant"] = True
            changed = True
            for task in Task.objects.filter(case__version=version, actor_id=actor.get("id"),
                                            status="open").select_related("case"):
                task.position_id = None
                task.assignee_id = task.assignee_id or task.case.initiator_id
                task.save(update_fields=["position", "assignee"])
            if link is not None:
                dropped_positions.add(link.position_id)
                link.delete()
        if changed:
            SopVersion.objects.filter(pk=version.pk).update(content=version.content)
    for position in Position.objects.filter(pk__in=dropped_positions):
        if not (position.assignments.exists() or position.actor_links.exists()
                or position.tasks.exists()):
            position.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0008_import_job_pages"),
        ("cases", "0003_working_days"),
        ("org", "0002_english_msgids"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
