"""The league beyond the district (RULES.md §16): standings, higher-level competitions and their delegates, rewards."""
