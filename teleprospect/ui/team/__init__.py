"""The team lead's screens: workload, hand-offs, reassignment, the script editor."""
