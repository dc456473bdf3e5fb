"""The command line: python -m alliance_atlas validate | members | export | sources."""
