"""Hostile input: an adversarial content folder, and what a build of it must say and make."""
