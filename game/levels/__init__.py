"""Level files: schema, loader with located errors, registry (no pygame)."""
