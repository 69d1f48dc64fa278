"""Contracts 电子合同: the document, its PDF, the platform seal and its validation."""
