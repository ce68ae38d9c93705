"""Synthetic catalogues of any size (``ocop synth``), for benchmarks and tests."""
