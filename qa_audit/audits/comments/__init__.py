"""Practitioner comments: the practitioner or their manager answers the audit of their work
(audits are done with practitioners, not to them)."""
