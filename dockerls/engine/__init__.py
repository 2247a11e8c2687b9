"""Everything that talks to the Docker engine (docker-py lives here and nowhere else).

- :mod:`.connect` — the client, from ``DOCKER_HOST`` or the current docker context; for ``develop``
  an :class:`~.connect.EngineClient`, whose :mod:`.socket_api` makes the calls of a container start
  over the unix socket without importing docker-py (:mod:`.container_config`: the create body)
- :mod:`.build` — builds: BuildKit (:mod:`.build_buildkit`, its trace decoded by :mod:`.buildkit_trace`)
  or the classic builder (:mod:`.build_classic`); a failure at its line (:mod:`.build_steps`)
- :mod:`.images` — the image a container runs; pulls with byte progress
- :mod:`.up` — carries out a :class:`~dockerls.develop.plan.model.DevelopPlan`; ``down``
- :mod:`.logs` — a container's output
"""
