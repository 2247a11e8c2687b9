"""Findings about the check itself rather than the file's content (kind ``run``), codes ``DLSxxx``:
dockerls failed on a file (DLS000), or did not read it (DLS001, DLS002).

They apply to every kind of file and are made by ``dockerls check`` and the language server, not by
a lint pass, so no rule here runs over a file; the classes carry the documentation that
``dockerls rules`` and ``dockerls explain`` show, and build the findings.
"""
