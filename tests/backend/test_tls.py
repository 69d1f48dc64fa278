"""Outgoing HTTPS shares one TLS context: building one per request stopped the event loop."""

from __future__ import annotations

import ssl

from backend import tls


def test_outgoing_requests_share_one_context_that_verifies_servers():
    context = tls.client_context()
    assert tls.client_context() is context
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 50  # the CA bundle is loaded
