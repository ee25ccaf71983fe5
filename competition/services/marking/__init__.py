"""Judges' marks: entering, correcting and submitting them, and reading them back."""
