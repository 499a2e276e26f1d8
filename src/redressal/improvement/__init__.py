"""Root-cause issues and improvement actions (溯源整改), accountability findings and their measures
(问责): SPEC §12, issue 15 items 3–4. Above cases, triage and search; below the demo and the views."""
