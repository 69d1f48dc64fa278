"""Periodic sweeps: idempotent (a second run changes nothing) and safe on many nodes."""
