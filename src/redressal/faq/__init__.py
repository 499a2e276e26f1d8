"""The knowledge base (FAQ) and the assistant that answers from it and hands over to a person (SPEC §11)."""
