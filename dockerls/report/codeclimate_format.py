"""Code Climate engine output: one JSON issue per finding, each followed by a NUL character, as the
Code Climate engine specification streams them (and as hadolint's ``codeclimate`` format does).

Issues carry ``type``, ``check_name``, ``description``, ``content``, ``categories``, ``severity``,
``fingerprint`` and a ``location`` with ``positions`` (1-based lines, UTF-16 columns).  For GitLab's
code quality report (a JSON array) use ``--format gitlab``.
"""

from __future__ import annotations

import json
from typing import TextIO

from dockerls.report.gitlab_format import issues


def render(results, out: TextIO, colour: bool = False) -> None:
    for issue in issues(results, engine_fields=True):
        out.write(json.dumps(issue, ensure_ascii=False))
        out.write("\0")
