"""Results: computed from raw marks, signed off, frozen, published, finalised and exported."""
