"""Analysis over the data: distances, changes between dates, search, and what was clicked."""
