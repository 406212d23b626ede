"""Link consultations and citations to negotiation documents, now that the model exists.

Citations written before this named a document by a bare id; such rows could only exist
in development databases and are dropped rather than guessed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_unlinked_citations(apps, schema_editor):
    apps.get_model("consultation", "Citation").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('consultation', '0001_consultations_statements_votes_maps'),
        ('negotiation', '0001_negotiation_lifecycle'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_unlinked_citations, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='citation',
            options={'ordering': ['document', 'provision', 'id']},
        ),
        migrations.RemoveConstraint(
            model_name='citation',
            name='citation_once',
        ),
        migrations.RemoveIndex(
            model_name='citation',
            name='consultatio_documen_15c9fd_idx',
        ),
        migrations.RemoveField(
            model_name='citation',
            name='document_id',
        ),
        migrations.AddField(
            model_name='citation',
            name='document',
            field=models.ForeignKey(default=0, on_delete=django.db.models.deletion.CASCADE, related_name='consultation_citations', to='negotiation.document'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='consultation',
            name='document',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='consultations', to='negotiation.document'),
        ),
        migrations.AddIndex(
            model_name='citation',
            index=models.Index(fields=['document', 'provision'], name='consultatio_documen_15c9fd_idx'),
        ),
        migrations.AddConstraint(
            model_name='citation',
            constraint=models.UniqueConstraint(fields=('statement', 'document', 'provision'), name='citation_once'),
        ),
    ]
