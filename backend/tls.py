"""The TLS context outgoing HTTPS requests share (webhooks, the sandbox provider's notices).

httpx builds a context for every client it is not given one: reading and parsing the CA bundle
is about 20 ms of CPU, on the event loop, so every webhook sent stopped every request in flight
for as long. A context is safe to share between clients; the CA bundle is certifi's, as httpx's.
"""

from __future__ import annotations

import ssl
from functools import cache

import certifi


@cache
def client_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=certifi.where())
