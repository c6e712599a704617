"""The JSON store of curated crisis records, its loader and its validator."""
