"""Recordings, eras, wire comparison, conformance and drift."""
