"""incremental: what a rebuild reuses from the last build, behind the few questions build/ asks."""
