"""The boundary build (scripts/build_boundaries.py): its tables as data files and its steps as modules."""
