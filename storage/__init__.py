"""Everything that touches SQLite lives here; no SQL anywhere else."""
