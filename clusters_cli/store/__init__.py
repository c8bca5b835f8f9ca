"""The knowledge base's storage: YAML packs, validation, the SQLite cache and every query on it.

No SQL is written outside this package; views ask the `KB` questions by name.
"""
