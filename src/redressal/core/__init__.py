"""Cross-cutting infrastructure: configuration, clock, encryption, errors."""
