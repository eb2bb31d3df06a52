"""The rep's desk: the call queue and Next lead."""
