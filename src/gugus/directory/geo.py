"""Where each kab/kota lies (its centroid, from the shipped region data) and how far apart
two of them are: the travel term when teachers of different regions are paired."""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from pathlib import Path

CENTROIDS = Path(__file__).parent / "data" / "wilayah" / "regency_centroids.csv"
EARTH_RADIUS_KM = 6371.0


@cache
def centroids() -> dict[str, tuple[float, float]]:
    """Kab/kota code → (latitude, longitude) in decimal degrees."""
    with CENTROIDS.open(encoding="utf-8") as f:
        return {row["code"]: (float(row["lat"]), float(row["lng"])) for row in csv.DictReader(f)}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_km(regency_a: str, regency_b: str) -> float:
    """Great-circle distance between the centroids of two kab/kota (0 for the same one)."""
    if regency_a == regency_b:
        return 0.0
    points = centroids()
    return haversine_km(points[regency_a], points[regency_b])


BOUNDARIES = {
    "provinsi": Path(__file__).parent / "data" / "wilayah" / "provinces.geojson",
    "kabkota": Path(__file__).parent / "data" / "wilayah" / "regencies.geojson",
}


@cache
def boundaries(level: str) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Region code → its polygons, each a list of rings of (longitude, latitude): the
    simplified outlines shipped with the region data, for the maps."""
    with BOUNDARIES[level].open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    shapes = {}
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        shapes[feature["properties"]["code"]] = [
            [[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in polygons
        ]
    return shapes
