"""Triage (SPEC §6): suggestions of request type, JR/T 0169 codes, duplicates and priority on registration."""
