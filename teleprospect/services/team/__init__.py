"""Team-lead use cases: users, reassignment, hand-off to sales and sales' verdicts."""
