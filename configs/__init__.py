"""Shipped pipeline profiles, installed as ``pipeline.configs`` (see pyproject.toml)."""
