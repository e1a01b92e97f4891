"""The commands behind the CLI: each takes plain values and streams, returns an exit code."""
