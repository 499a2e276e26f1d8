"""The customer-message outbox as staff and the worker see it: whose address a message goes to (the
customer, decrypted here only), the periodic delivery job, the scoped sent/dead-letter lists and the
audited retry of a dead letter. The delivery engine itself is ``notify.delivery``; this app sits above
the cases and customers it needs to reach (ARCHITECTURE §2)."""
