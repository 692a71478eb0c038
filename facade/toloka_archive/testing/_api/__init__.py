"""Toloka's API as the fake answers it, above `_world` and `_carriers`.

- `faults`: injected misbehaviour, declared (`Fault`) and decided per request (`FaultBook`);
- `app`: the request-handling core (`TolokaApp`): routing, the faults, the rate limit, auth,
  and every endpoint's answer as a `Reply`.

On top of this layer sit the package's own modules: `_fake` (`FakeToloka`, the public face),
`_scenario` (scenario files that build one) and ``__main__`` (the command).
"""
