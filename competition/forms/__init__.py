"""WTForms classes: field validation only (types, lengths, required); business rules live in services."""
