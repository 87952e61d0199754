"""``python -m app.worker``: an RQ worker that builds the Flask app once, not per job.

The plain ``rq worker`` forks per job and each job would build the whole console
(about a second); this worker builds it once and runs every job inside its app
context. Needs ``REDIS_URL``; queues are named on the command line (default: default).
"""

from __future__ import annotations

import sys

from redis import Redis
from rq import Queue, SimpleWorker

from app import create_app


def main(queue_names: list[str]) -> None:
    app = create_app()
    url = app.config.get("REDIS_URL")
    if not url:
        raise SystemExit("REDIS_URL is not set: without Redis the jobs run in-process in the web app.")
    connection = Redis.from_url(url)
    with app.app_context():
        queues = [Queue(name, connection=connection) for name in queue_names or ["default"]]
        SimpleWorker(queues, connection=connection).work()


if __name__ == "__main__":
    main(sys.argv[1:])
