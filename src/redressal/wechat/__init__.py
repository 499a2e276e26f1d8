"""The WeChat official account (SPEC §9): the signed callback, plain and safe-mode messages, passive replies."""
