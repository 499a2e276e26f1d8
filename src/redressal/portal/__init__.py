"""The customer portal and its public API (SPEC §9–10): sign-in by one-time code, the customer's own cases."""
