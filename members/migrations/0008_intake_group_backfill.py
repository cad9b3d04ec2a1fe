"""Give existing intakes the group they were recorded for, where one answer is certain.

The group is the member's group that the recorder facilitated when the intake was recorded:
a stint created by then and not ended before that day. With none, or more than one, the group
stays empty and only staff and the recorder read the intake (members.permissions).
"""

import zoneinfo

from django.db import migrations


def _local_date(moment, time_zone):
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment.date()


def backfill(apps, schema_editor):
    Intake = apps.get_model("members", "Intake")
    Enrollment = apps.get_model("groups", "Enrollment")
    Group = apps.get_model("groups", "Group")
    for intake in Intake.objects.filter(group__isnull=True).only(
        "pk", "member_id", "recorded_by_id", "created_at"
    ):
        run_by_recorder = Group.facilitators.through.objects.filter(
            user_id=intake.recorded_by_id
        ).values("group_id")
        candidates = set()
        for stint in Enrollment.objects.filter(
            member_id=intake.member_id,
            group_id__in=run_by_recorder,
            created_at__lte=intake.created_at,
        ).select_related("group"):
            day = _local_date(intake.created_at, stint.group.time_zone)
            if stint.left_on is None or stint.left_on >= day:
                candidates.add(stint.group_id)
        if len(candidates) == 1:
            Intake.objects.filter(pk=intake.pk).update(group_id=candidates.pop())


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_initial"),
        ("members", "0007_intake_group_and_share"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
