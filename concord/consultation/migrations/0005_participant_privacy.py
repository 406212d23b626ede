"""Participants' privacy (issue 13): a signed-in user's participant is found by a keyed
pseudonym instead of the account id; participant tokens can be revoked; the votes of a
participant who deleted their data are kept as counts; a consultation publishes
participant ids on its map only when told to."""

from django.db import migrations, models
import django.db.models.deletion


def pseudonymize(apps, schema_editor):
    from concord.common.privacy import pseudonym

    Participant = apps.get_model("consultation", "Participant")
    for p in Participant.objects.filter(user__isnull=False).only("pk", "user_id", "consultation_id"):
        p.user_pseudonym = pseudonym(f"{p.user_id}:{p.consultation_id}", purpose="participant")
        p.save(update_fields=["user_pseudonym"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0004_drop_redundant_vote_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="publish_participant_ids",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="participant",
            name="user_pseudonym",
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="participant",
            name="tokens_revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(pseudonymize, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="participant", name="participant_one_per_user"),
        migrations.RemoveField(model_name="participant", name="user"),
        migrations.AddConstraint(
            model_name="participant",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user_pseudonym__isnull", False)),
                fields=("consultation", "user_pseudonym"),
                name="participant_one_per_user",
            ),
        ),
        migrations.CreateModel(
            name="RetiredVotes",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("agree", models.IntegerField(default=0)),
                ("disagree", models.IntegerField(default=0)),
                ("passes", models.IntegerField(default=0)),
                (
                    "statement",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retired_votes",
                        to="consultation.statement",
                    ),
                ),
            ],
        ),
    ]
