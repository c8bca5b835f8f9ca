"""Views: the JSON contract. Each builder takes the knowledge base and a query and returns a plain,
typed dict that every renderer (table, JSON, CSV) reads."""

# The JSON contract's version (README, "JSON contract"): additive changes keep it, breaking ones bump it.
SCHEMA_VERSION = 2
