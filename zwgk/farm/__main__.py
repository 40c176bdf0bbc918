"""`python -m zwgk.farm serve --seed 7 --now 2026-11-29T08:00:00+08:00 --port 0 --dir DIR`

`--vary [--size N]` serves a small city whose site patterns are drawn per seed (variety.py).
Also `python -m zwgk.farm truth --day 1` (print the ground truth) and `units` (print units.yaml)
without serving anything.
"""

from __future__ import annotations

import argparse
import json
import sys

from zwgk.clock import parse
from zwgk.farm.generate import build_city


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m zwgk.farm", description="zwgk demo farm")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "truth", "units"):
        p = sub.add_parser(name)
        p.add_argument("--seed", type=int, default=7)
        p.add_argument("--now", default="2026-11-29T08:00:00+08:00", help="day-1 clock, ISO 8601")
        p.add_argument("--port", type=int, default=0 if name == "serve" else 8080)
        p.add_argument(
            "--vary", action="store_true", help="draw each site's patterns per seed (variety.py)"
        )
        p.add_argument("--size", type=int, default=None, help="units in a --vary city")
        if name == "serve":
            p.add_argument("--dir", required=True, help="where units.yaml, truth and logs go")
        else:
            p.add_argument("--day", type=int, default=1, choices=(1, 2))
    a = ap.parse_args(argv)
    now = parse(a.now)
    if a.cmd == "serve":
        from zwgk.farm.server import serve

        serve(a.dir, a.seed, now, a.port, a.vary, a.size)
        return 0
    city = build_city(a.seed, now, a.day, a.port, a.vary, a.size)
    if a.cmd == "truth":
        json.dump(city.truth(), sys.stdout, ensure_ascii=False, indent=1)
    else:
        sys.stdout.write(city.units_yaml())
    return 0


if __name__ == "__main__":
    sys.exit(main())
