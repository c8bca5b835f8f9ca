"""The kinds of entity: CLI name (singular) -> section of the knowledge-base file."""

KINDS: dict[str, str] = {
    "province": "provinces",
    "region": "regions",
    "city": "cities",
    "park": "parks",
    "sector": "sectors",
    "company": "companies",
    "cluster": "clusters",
    "statistic": "statistics",
    "source": "sources",
}
