"""Tests of the promises under faults, mistakes and hostile folders, one file per promise."""
