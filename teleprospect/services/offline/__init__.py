"""Working through a server outage: the workstation's local journal of calls saved while the
database server was away, their replay when it is back, and the review of those the lead
had moved on from meanwhile."""
