"""devcontainer.json files: linted by :mod:`dockerls.lint.devcontainer_runner`; hover on a feature
(:mod:`dockerls.services.devcontainer_features`), hover and completion from a schema of
devcontainer.json (:mod:`dockerls.services.devcontainer_schema`); the rest of the editor services are
left to the JSON language servers of editors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Hashable

from dockerls.kinds.base import Analysis, FileKind

from dockerls.lint.workspace_fs import PLAIN_FS, WorkspaceFS

if TYPE_CHECKING:
    from dockerls.config import Config
    from dockerls.finding import Finding
    from dockerls.services.results import Completion, Hover
    from dockerls.text import LineIndex


class DevcontainerAnalysis(Analysis):
    def __init__(self, text: str, path: str | None, fs: WorkspaceFS = PLAIN_FS):
        self.text = text
        self.path = path
        self.fs = fs

    def lint(self, config: Config, key: Hashable) -> list[Finding]:
        return KIND.lint_text(self.text, config, self.path, self.fs)[2]

    def hover(self, offset: int) -> Hover | None:
        from dockerls.services.devcontainer_features import feature_hover

        from dockerls.parse.devcontainer.schema import load_schema
        from dockerls.services.devcontainer_schema import schema_hover

        # a feature's own description (when it is resolvable) says more than the schema's "features"
        return feature_hover(self.text, self.path, offset) or schema_hover(self.text, offset, load_schema())

    def complete(self, offset: int, snippets: bool = True, trigger: str | None = None) -> list[Completion]:
        if trigger == " ":
            return []  # JSON keys and values start with a quote, not after a space
        from dockerls.parse.devcontainer.schema import load_schema
        from dockerls.services.devcontainer_features import feature_completions
        from dockerls.services.devcontainer_schema import schema_completions

        # feature ids and options (from the cache: nothing is fetched while typing), then the schema's
        return feature_completions(self.text, self.path, offset, self.fs.environ) + \
            schema_completions(self.text, offset, load_schema())


class DevcontainerKind(FileKind):
    name = "devcontainer"
    generic_language_ids = frozenset({"json", "jsonc"})

    def analyse(self, text: str, path: str | None, previous: Analysis | None = None,
                fs: WorkspaceFS = PLAIN_FS) -> DevcontainerAnalysis:
        return DevcontainerAnalysis(text, path, fs)

    def lint_text(self, data: bytes | str, config: Config, path: str | None,
                  fs: WorkspaceFS = PLAIN_FS) -> tuple[str, LineIndex, list[Finding]]:
        from dockerls.lint.devcontainer_runner import lint_devcontainer_text

        return lint_devcontainer_text(data, config, path, fs)


KIND = DevcontainerKind()
