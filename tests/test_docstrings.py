"""The ``>>>`` examples in the public docstrings are run, so they stay true."""

import doctest

import pytest

import pipeline
import pipeline.config
import pipeline.core


@pytest.mark.parametrize("module", [pipeline, pipeline.config, pipeline.core], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    failures, tried = doctest.testmod(module, verbose=False)
    assert tried > 0 and failures == 0
