"""The pure base of the facade: nothing here knows Toloka's endpoints or the generated client.

Flows and their two drivers, the one clock, the error tree, id checks, where a client points
and how it proves who it is, dates, every timing rule and default, and the state a client's
flows share. Every other layer may import from here; this layer imports from no other.
"""
