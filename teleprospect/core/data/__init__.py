"""Data files shipped inside the package, read with importlib.resources (no Qt needed)."""
