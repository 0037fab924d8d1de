"""The read-only JSON API (/api/v1) for Power BI and Excel users, with bearer tokens."""
