"""Regulator transfers in bulk (SPEC §9): the transfer list imported with a preview, the reply sheet exported."""
