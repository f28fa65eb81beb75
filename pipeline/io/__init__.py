"""Streaming readers and writers; no NLP here."""

from pipeline.io.readers import (
    FieldMap,
    MissingInput,
    ReadFailure,
    ReadProgress,
    SkippedInput,
    decode_bytes,
    expand_inputs,
    html_article,
    read_inputs,
)
from pipeline.io.writers import (
    JsonlWriter,
    ParquetWriter,
    ShardedWriter,
    completed_shards,
    result_schema,
    written_ids,
)

__all__ = [
    "FieldMap",
    "MissingInput",
    "ReadFailure",
    "ReadProgress",
    "SkippedInput",
    "decode_bytes",
    "expand_inputs",
    "html_article",
    "read_inputs",
    "JsonlWriter",
    "ParquetWriter",
    "ShardedWriter",
    "completed_shards",
    "result_schema",
    "written_ids",
]
