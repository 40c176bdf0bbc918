"""The demo farm: a simulated city of government sites served on loopback, with ground truth.

`build_city(seed, now, day)` builds the city (pure); `City.truth()` is the ground truth,
`City.units_yaml()` the units file; `python -m zwgk.farm serve` serves it (see server.py).
"""

from zwgk.farm.generate import build_city
from zwgk.farm.model import City

__all__ = ["City", "build_city"]
