"""Working through a server outage: the status bar watch and the review list."""
