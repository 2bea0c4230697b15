-- One wait or invoke pause per step: an op re-reported by the SDK (parallel
-- async steps without a fan-in set) must not create a second pause.
CREATE UNIQUE INDEX pauses_run_step ON pauses (run_id, step_id) WHERE step_id IS NOT NULL;
