"""Email in (SPEC §9): the IMAP poller, mail turned into cases or correspondence, the quarantine."""
