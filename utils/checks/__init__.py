"""Per-notebook checks and the harness they share."""
