"""Pure domain rules of Redressal: the regulation as code, free of Django, databases and I/O.

Nothing here may import a web framework, an ORM or a network client (an import-linter contract in
``pyproject.toml`` enforces it); the services in the other packages feed these functions facts and
store what they return.
"""
