"""Pure business rules: standard library and scoring only (no Flask, no database)."""
