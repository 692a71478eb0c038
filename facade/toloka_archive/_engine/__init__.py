"""Many subjects at once: handles on operations, bulk runs with one report per subject, reports,
and a project's clean-up.

Imports only from the layers below (``_core``, ``_wire``, ``_flows``); it never knows a client,
only the few calls it is given.
"""
