"""Failed sign-ins limited per account name and per address, in Redis with an in-process fallback.

Only failures are counted: a centre whose thirty people sign in at nine from one address is never refused, while a
script guessing passwords is, whichever accounts it tries (per address) and from however many addresses it tries
one account (per account name, known or not, so the answer tells nothing of which accounts exist). Counted with
the ``limits`` library (fixed windows) in Redis, shared by every web process; when Redis cannot be reached the
counting goes on in the process (each process counts alone, which still stops a guessing script), and Redis is
tried again after half a minute.
"""

from __future__ import annotations

import logging
import time

from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

RETRY_REDIS_AFTER = 30  # seconds


class TooManyAttempts(Exception):
    """Too many failed sign-ins from this address or for this account name: wait and try again."""


class LoginThrottle:
    def __init__(self, config) -> None:
        self.enabled = bool(config.get("RATELIMIT_ENABLED", True))
        self.per_address = parse(config["AUTH_RATE_LIMIT"])
        self.per_account = parse(config.get("AUTH_ACCOUNT_RATE_LIMIT") or config["AUTH_RATE_LIMIT"])
        self.memory = FixedWindowRateLimiter(MemoryStorage())
        url = config.get("REDIS_URL")
        self.shared = None
        if url:
            storage = storage_from_string(url, socket_connect_timeout=0.5, socket_timeout=0.5)
            self.shared = FixedWindowRateLimiter(storage)
        self._redis_down_until = 0.0

    def _keys(self, account: str, address: str | None):
        return (
            (self.per_address, ("login-failures", "address", address or "-")),
            (self.per_account, ("login-failures", "account", (account or "").strip().lower()[:256])),
        )

    def _run(self, method: str, item, keys) -> bool:
        if self.shared is not None and time.monotonic() >= self._redis_down_until:
            try:
                return getattr(self.shared, method)(item, *keys)
            except Exception as error:  # Redis unreachable or failing: count in the process meanwhile
                log.warning("login limits counted in-process, Redis failed: %s", type(error).__name__)
                self._redis_down_until = time.monotonic() + RETRY_REDIS_AFTER
        return getattr(self.memory, method)(item, *keys)

    def check(self, account: str, address: str | None) -> None:
        """Raise ``TooManyAttempts`` when the address or the account name has used up its failures."""
        if not self.enabled:
            return
        for item, keys in self._keys(account, address):
            if not self._run("test", item, keys):
                raise TooManyAttempts()

    def failed(self, account: str, address: str | None) -> None:
        if not self.enabled:
            return
        for item, keys in self._keys(account, address):
            self._run("hit", item, keys)
