"""Rules, one per module, grouped by the kind of file they check (see ``registry``)."""
