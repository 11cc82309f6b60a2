"""Word-list entries kept unique by the fold screening matches with (textfold.fold),
not NFKC and case alone: علي and علی, or a word with and without its diacritics, were
two entries that screening treated as one. Each entry's `normalized` is folded again;
where two entries now fold alike, the earlier is kept (they matched the same texts)."""

from django.db import migrations

# textfold is pure (no Django, no models), and a fresh database has no entries to
# fold, so importing today's fold here cannot change what this migration did.
from moderation.textfold import fold


def refold(apps, schema_editor):
    entry_model = apps.get_model("moderation", "WordListEntry")
    kept = {}
    for entry in entry_model.objects.order_by("id"):
        folded = fold(entry.term)[:100] or entry.normalized
        if folded in kept:
            entry.delete()
        else:
            kept[folded] = entry.pk
    # Every kept entry out of the way first, so no new value meets an old one.
    for pk in kept.values():
        entry_model.objects.filter(pk=pk).update(normalized=f"refold:{pk}")
    for folded, pk in kept.items():
        entry_model.objects.filter(pk=pk).update(normalized=folded)


class Migration(migrations.Migration):
    dependencies = [("moderation", "0008_reader_action_codes")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
