"""The develop plan (pure): what ``dockerls develop`` would build and start, computed from files.

Nothing here talks to an engine, runs a process or knows the editor: no docker, no pygls, no
subprocess (``tests/develop/plan/test_pure.py`` checks it).

- :mod:`.workspace` — ``make_plan(folder, options)``: which flow applies, and the finishing labels
  and hashes
- :mod:`.dockerfile`, :mod:`.devcontainer`, :mod:`.compose` — the three flows
- :mod:`.devcontainer_config` — finding and reading devcontainer.json
- :mod:`.model` — the plan's data (:class:`~.model.DevelopPlan`, :class:`~.model.ContainerSpec`, ...)
- :mod:`.mounts`, :mod:`.ports`, :mod:`.run_args`, :mod:`.lifecycle`, :mod:`.variables` — the
  value syntaxes; :mod:`.hashing` — stable names and the hashes that decide reuse or recreation
"""
