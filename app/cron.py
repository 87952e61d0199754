"""The schedule of the background jobs, for ``rq cron app.cron --url $REDIS_URL`` (run exactly one).

rq's cron reads the process's local time, so this module pins it to the region's zone (``TZ``, default
Asia/Yekaterinburg) before anything is scheduled: "07:00" means seven in the morning in Yugra, whatever the
server's zone. The cron only queues the small ``enqueue_*`` functions each feature schedules; a worker runs them,
and they queue the real jobs with their retries.
"""

from __future__ import annotations

import os
import time

from rq import cron

from app.platform.jobs import QUEUE
from app.reminders import SCHEDULE

os.environ.setdefault("TZ", "Asia/Yekaterinburg")
time.tzset()

for func, spec, name in SCHEDULE:
    cron.register(func, queue_name=QUEUE, cron=spec, name=name)
