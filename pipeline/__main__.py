"""``python -m pipeline`` is the ``nlnews`` command."""

from pipeline.cli import main

raise SystemExit(main())
