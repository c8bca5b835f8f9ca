"""Views: the JSON contract. Each builder takes the knowledge base and a query and returns a plain,
typed dict that every renderer (table, JSON, CSV) reads."""

from ..contract import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION"]
