"""When the reminders' jobs run (``rq cron``, in the region's time zone; see ``app.cron``).

* 07:00 every day: the full reminder scan, before the working day starts;
* every hour from 08:00 to 20:00: the scan again, so that a measure due soon or an item just done shows up the
  same day;
* 08:00 every day: the e-mail digest (when ``MAIL_SERVER`` is set), after the morning scan.
"""

from __future__ import annotations

from app.reminders.jobs import enqueue_digests, enqueue_scan

SCHEDULE = [
    (enqueue_scan, "0 7 * * *", "reminders-morning-scan"),
    (enqueue_scan, "5 8-20 * * *", "reminders-hourly-scan"),
    (enqueue_digests, "0 8 * * *", "reminders-digest"),
]
