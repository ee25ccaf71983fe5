"""Certificates (RULES.md §15): issued (numbered once) for the prizes of final events and the 技术能手 titles, read for
the downloads, the results rows and the public verification."""
