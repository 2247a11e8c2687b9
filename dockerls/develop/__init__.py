"""Develop in a container: a pure plan, and the application that carries it out.

Two layers, and the rule between them:

- :mod:`dockerls.develop.plan` — the plan (pure): from a workspace folder and the caller's options
  to a :class:`~dockerls.develop.plan.model.DevelopPlan` (images to build, containers, networks,
  volumes, lifecycle commands, the problems found on the way).  It reads files and imports neither
  docker, pygls nor subprocess (``tests/develop/plan/test_pure.py`` says so), so ``dockerls check``
  and the editor use the same plan to lint devcontainer.json without an engine.
- the modules beside it — the application around the plan, which runs it through
  :mod:`dockerls.engine` (the only code that talks to docker):

  - :mod:`.service` — ``develop``/``down``/``build_only``/``rebuild``/``logs``, shared by the CLI
    and the language server (:mod:`dockerls.lsp.develop`)
  - :mod:`.cli` (and ``python -m dockerls.develop``) — ``dockerls develop`` and ``dockerls down``
  - :mod:`.progress` — the progress interface the engine reports through; :mod:`.terminal` draws it
  - :mod:`.host_commands` — ``initializeCommand``, the one command run on this machine

The devcontainer.json reader (JSON with comments) is :mod:`dockerls.parse.devcontainer`.
"""
