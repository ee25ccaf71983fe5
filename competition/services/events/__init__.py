"""Events and their entries: set-up, lifecycle, enrolment, rosters and uploads."""
