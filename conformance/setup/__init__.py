"""How a run gets its records and credentials: the mock's admin API, or a user's fixtures map."""
