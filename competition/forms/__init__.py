"""WTForms classes: field validation only."""
