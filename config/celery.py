"""The Celery application: long jobs (pushing a release to a portal) run in a worker.

Configuration comes from Django settings (CELERY_* names). Without a broker, the embedded
default, tasks run in the process that queues them, so a laptop demo needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("carte_commune")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
