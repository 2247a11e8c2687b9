"""Everything that talks to the Docker engine (docker-py lives here and nowhere else).

- :mod:`.connect` — the client, from ``DOCKER_HOST`` or the current docker context
- :mod:`.build` — builds with streamed, parsed progress
- :mod:`.up` — carries out a :class:`~dockerls.develop.plan.model.DevelopPlan`; ``down``
- :mod:`.logs` — a container's output
"""
