"""The simulated world, with no HTTP in it: the bottom layer of the fake Toloka.

- `clock`: where time is read (`ManualClock` for tests), and Toloka's timestamp form;
- `seeded`: repeatable ids and draws derived from the seed;
- `validation`: checks of values given to the fake, with messages naming the field;
- `state`: one table of subjects (projects, trainings, pools) and the operations that close and
  archive them, started and settled by one routine driven by the operation kinds;
- `listing`: the parameters of ``GET /operations``, ``GET /pools`` and ``GET /trainings``, and
  one page of a list;
- `auth`: requesters and their credentials;
- `ratelimit`: Toloka's requests-a-second limit.

Nothing here imports from the layers above (`_carriers`, `_api`, the package's top modules).
"""
