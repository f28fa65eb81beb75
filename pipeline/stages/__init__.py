"""The stages: one package each (clean, detect, entities, summarize, translate).

The registry that maps stage names to classes is ``pipeline.stages.registry``;
this package imports nothing, so importing a stage's helper or ``stages.base``
does not load every stage (and spaCy and torch with them).
"""
