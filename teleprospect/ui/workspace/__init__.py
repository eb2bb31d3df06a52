"""The call workspace: lead panel, script runner, decision panel and their dialogs."""
