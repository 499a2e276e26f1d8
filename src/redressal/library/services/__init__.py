"""The library's and training's changes, one function each: permission and scope checked here, every
change audited (who, when, why) through ``audit.services.record_audit``."""
