"""Tests of the extraction stage (kingmaker.extract)."""
