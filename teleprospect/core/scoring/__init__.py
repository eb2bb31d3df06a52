"""Lead scoring: the rules (:mod:`.rules`) and the engine that scores a lead with them
(:mod:`.engine`)."""
