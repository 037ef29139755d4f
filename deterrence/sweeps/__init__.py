"""Parameter sweeps: designs (grids and samples), chunked resumable runs on any executor."""
