"""``python -m app.worker``: an RQ worker that builds the Flask app once, not per job.

The plain ``rq worker`` forks per job and each job would build the whole console
(about a second); this worker builds it once and runs every job inside its app
context. Needs ``REDIS_URL``; queues are named on the command line (default: default); ``--burst`` stops
the worker once the queues are empty (for tests and one-off catch-ups).
"""

from __future__ import annotations

import sys

from redis import Redis
from rq import Queue, SimpleWorker

from app import create_app
from app.platform.jobs import QUEUE


def main(argv: list[str]) -> None:
    burst = "--burst" in argv
    queue_names = [name for name in argv if not name.startswith("--")]
    app = create_app()
    url = app.config.get("REDIS_URL")
    if not url:
        raise SystemExit("REDIS_URL is not set: without Redis the jobs run in-process in the web app.")
    connection = Redis.from_url(url)
    with app.app_context():
        queues = [Queue(name, connection=connection) for name in queue_names or [QUEUE]]
        SimpleWorker(queues, connection=connection).work(burst=burst)


if __name__ == "__main__":
    main(sys.argv[1:])
