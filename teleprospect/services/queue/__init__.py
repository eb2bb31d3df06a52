"""The call queue and claims."""
