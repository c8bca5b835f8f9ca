"""The output contract's version, in one root module that every layer may read (README, "JSON contract"):
additive changes keep it, breaking ones bump it. JSON views and the SQLite export's meta table carry it."""

SCHEMA_VERSION = 3
