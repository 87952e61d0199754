"""The schedule of the background jobs, for ``rq cron app.cron --url $REDIS_URL`` (run exactly one).

rq's cron reads the process's local time, so this module pins it to the region's zone (``TZ``, default
Asia/Yekaterinburg) before anything is scheduled: "07:00" means seven in the morning in Yugra, whatever the
server's zone. The cron only queues the small ``enqueue_*`` functions; a worker runs them, and they queue the real
jobs with their retries.

* 07:00 every day: the full reminder scan, before the working day starts;
* every hour from 08:00 to 20:00: the scan again, so that a measure due soon or an item just done shows up the
  same day;
* 08:00 every day: the e-mail digest (when ``MAIL_SERVER`` is set), after the morning scan.
"""

from __future__ import annotations

import os
import time

from rq import cron

from app.jobs import QUEUE, enqueue_digests, enqueue_scan

os.environ.setdefault("TZ", "Asia/Yekaterinburg")
time.tzset()

SCHEDULE = [
    (enqueue_scan, "0 7 * * *", "reminders-morning-scan"),
    (enqueue_scan, "5 8-20 * * *", "reminders-hourly-scan"),
    (enqueue_digests, "0 8 * * *", "reminders-digest"),
]

for func, spec, name in SCHEDULE:
    cron.register(func, queue_name=QUEUE, cron=spec, name=name)
