"""How many Dutch and Flemish municipalities and towns (``tests/place_names.py``) the gazetteer knows as places.

A name counts when it is, in an article of its country, a CITY of that country,
one the article's context chooses, or a district (see ``is_place_of``). Point
``--resources`` at another ``places_nl.yaml`` (an older one, your own) to compare.

    python -m bench.places                         # the packaged resources
    python -m bench.places --resources DIR --missing
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.stages.entities.gazetteer import load_gazetteer
from tests.place_names import LISTS, VARIANTS, is_place_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=Path, help="a directory with places_nl.yaml (default: the package's)")
    parser.add_argument("--missing", action="store_true", help="also list the names that are no place")
    args = parser.parse_args()
    gazetteer = load_gazetteer(15000, args.resources)
    lists = {**LISTS, "spelling variants": ("", [spelling for spelling, _, _ in VARIANTS])}
    countries = {spelling: country for spelling, _, country in VARIANTS}
    print(f"{'list':<38}{'checked':>8}{'missing':>9}")
    total = missing_total = 0
    for kind, (country, names) in lists.items():
        missing = [name for name in names if not is_place_of(gazetteer, name, country or countries[name])]
        total, missing_total = total + len(names), missing_total + len(missing)
        print(f"{kind:<38}{len(names):>8}{len(missing):>9}")
        if args.missing and missing:
            print("    " + ", ".join(missing))
    print(f"{'all':<38}{total:>8}{missing_total:>9}")


if __name__ == "__main__":
    main()
