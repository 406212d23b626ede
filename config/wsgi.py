import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view module now (the opinion map pulls in numpy, scipy and scikit-learn,
# seconds of imports) instead of on the first request each worker serves; with
# `gunicorn --preload` (as `concord serve` runs it) this happens once, before forking.
get_resolver().url_patterns  # noqa: B018

# Everything loaded so far lives as long as the process: move it out of the garbage
# collector's reach. With scikit-learn imported a full collection walks ~180,000 objects
# (90 ms here), stalling every thread of a worker: the slowest votes under load. Before
# the fork (`--preload`) it also keeps these pages shared between the workers.
gc.freeze()
