"""Safeguarding concerns found during an audit: recorded at once, sent to the service manager
of the audit's area, visible until they record the response. Never waits for moderation or
for the audit's own status."""
