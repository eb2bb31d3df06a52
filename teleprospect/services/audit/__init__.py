"""The audit trail: every act that changes the desk or its rules, recorded append-only."""
