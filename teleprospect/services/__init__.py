"""Use cases, one transaction each. The GUI and the CLI both call these."""
