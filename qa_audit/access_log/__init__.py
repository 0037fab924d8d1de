"""The access log: who viewed or exported which case-level records, when, from where."""
