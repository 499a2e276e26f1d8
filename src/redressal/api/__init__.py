"""The JSON API at /api/v1 (SPEC §14): parse, authorise, call one service or selector, render."""
