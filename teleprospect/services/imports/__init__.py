"""Importing files: leads, engagement activity, the per-row work shared out to workers."""
