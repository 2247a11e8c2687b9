"""dockerls: Dockerfile, Compose and devcontainer tooling: linter, language server, develop-in-container."""

__version__ = "0.1.0"
