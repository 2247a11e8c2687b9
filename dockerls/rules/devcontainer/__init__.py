"""devcontainer.json rules (DVxxx): its syntax, and what develop in container would do with it."""
