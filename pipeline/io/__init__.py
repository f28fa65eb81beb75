"""Streaming readers and writers; no NLP here."""

from pipeline.io.readers import ReadFailure, decode_bytes, read_inputs
from pipeline.io.writers import JsonlWriter

__all__ = ["ReadFailure", "decode_bytes", "read_inputs", "JsonlWriter"]
