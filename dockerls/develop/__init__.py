"""Develop in a container: plan (pure), run (``dockerls.engine``), CLI and editor commands.

- :mod:`dockerls.develop.plan` — ``make_plan(folder, options)`` → :class:`DevelopPlan`
- :mod:`dockerls.develop.service` — ``develop``/``down``/``build_only``/``rebuild``/``logs`` for the
  CLI and the language server
- :mod:`dockerls.develop.cli` — ``dockerls develop`` and ``dockerls down``
"""
