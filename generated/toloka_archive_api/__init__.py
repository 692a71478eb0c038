"""A client library for accessing Toloka API (pool archiving)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
