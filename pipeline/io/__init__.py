"""Streaming readers and writers; no NLP here."""

from pipeline.io.readers import (
    FieldMap,
    InputFile,
    MissingInput,
    ReadFailure,
    ReadProgress,
    SkippedInput,
    decode_bytes,
    expand_inputs,
    html_article,
    input_files,
    read_file,
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
    "InputFile",
    "MissingInput",
    "ReadFailure",
    "ReadProgress",
    "SkippedInput",
    "decode_bytes",
    "expand_inputs",
    "html_article",
    "input_files",
    "read_file",
    "read_inputs",
    "JsonlWriter",
    "ParquetWriter",
    "ShardedWriter",
    "completed_shards",
    "result_schema",
    "written_ids",
]
