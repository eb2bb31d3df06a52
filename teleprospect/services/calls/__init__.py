"""A call from start to decision: the call sheet, the script, drafts, logging the call."""
