"""Every existing group reports to the first board it was attached to (lowest id): the board
its pages already used (group.boards.all()[0])."""

from django.db import migrations


def fill(apps, schema_editor):
    Group = apps.get_model("subgroups", "Group")
    Through = Group.boards.through
    for group in Group.objects.filter(reporting_board__isnull=True):
        first = Through.objects.filter(group_id=group.pk).order_by("board_id").first()
        if first is not None:
            group.reporting_board_id = first.board_id
            group.save(update_fields=["reporting_board"])


class Migration(migrations.Migration):
    dependencies = [("subgroups", "0002_add_group_reporting_board")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
