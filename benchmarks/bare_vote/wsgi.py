from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bare_vote.settings")
application = get_wsgi_application()

# As config/wsgi.py does, so that both servers run the same setup.
gc.freeze()
