"""The data: its contract, loading and validation, and what holds on a date."""
