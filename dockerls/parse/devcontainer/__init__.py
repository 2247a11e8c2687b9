"""devcontainer.json as it is written: JSON with comments and trailing commas (:mod:`.jsonc`), with
the position of every key and element so a problem can point at it."""
