"""What goes on the wire: the door to the generated client, the requests the facade sends, the
one reader of Toloka's answers, paging, and what Toloka's objects say.

Imports only from ``_core``.
"""
