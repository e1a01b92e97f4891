"""Benchmarks: `make bench` prints figures and writes them as JSON; tests never time."""
