"""Use cases: load rows, call scoring/rules, write rows and audit entries; flush, never commit."""
