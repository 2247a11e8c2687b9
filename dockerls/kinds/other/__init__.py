"""A file named on the command line that is none of the kinds dockerls checks (a ``.yaml`` file
whose content is not Compose's): not checked, and one finding says so rather than a Dockerfile's
findings on every line (:mod:`dockerls.discover` decides the kind)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockerls.kinds.base import Analysis, FileKind
from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS
from dockerls.text import LineIndex

if TYPE_CHECKING:
    from dockerls.config import Config
    from dockerls.finding import Finding


class OtherKind(FileKind):
    name = "other"

    def analyse(self, text: str, path: str | None, previous: Analysis | None = None,
                fs: WorkspaceFS = PLAIN_FS) -> Analysis:
        return Analysis()

    def lint_text(self, data: bytes | str, config: Config, path: str | None,
                  fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
        from dockerls.rules.run.dls003_not_checked import NotChecked

        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        finding = NotChecked.at_start(path, "Not a Dockerfile, Compose file or devcontainer.json: not checked "
                                            "(--kind compose|dockerfile|devcontainer says what it is)")
        return text, LineIndex(text), [] if NotChecked.code.lower() in config.ignored else [finding]


KIND = OtherKind()
