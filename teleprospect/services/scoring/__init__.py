"""Scores in the database: rule versions, breakdowns, bulk re-scoring."""
