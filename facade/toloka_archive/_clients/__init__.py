"""The blocking and the asyncio clients: thin drivers over the flows and the engine, and the
bridge that runs the async engine behind the blocking client.

Imports from every layer below; nothing below imports from here.
"""
