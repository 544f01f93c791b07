"""ML6: tracking and governance. Runs nobody can find again, explain or compare."""
