"""Process-wide plumbing: settings, database wiring, the clock, logging."""
