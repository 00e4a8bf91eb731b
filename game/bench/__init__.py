"""Benchmarks behind `switchyard bench`; results go to BENCHMARKS.md."""
