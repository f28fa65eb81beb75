"""Execution engines beyond the local runner; each is imported only when asked for.

``pipeline.engines.ray`` needs the ``ray`` extra: ``pip install 'nl-news-pipeline[ray]'``.
"""
