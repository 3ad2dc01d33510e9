"""State changes of the co-production domain. Views and commands call these, never the reverse."""
