"""Python classes compiled from the Designer forms in ui/ (see packaging/build_generated.py)."""
