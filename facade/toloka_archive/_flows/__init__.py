"""The decisions, written once as sans-IO flows (see ``_core.flow``): send with retries, wait for
an operation, ask Toloka what happened, start an operation and know what the start did, the
pre-flight, and choosing pools by what they are.

Imports only from ``_core`` and ``_wire``.
"""
