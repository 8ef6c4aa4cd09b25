"""Run every benchmark module in `bench/` (or the ones named on the command line)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main() -> None:
    wanted = set(sys.argv[1:])
    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_") or (wanted and module_info.name not in wanted):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        if hasattr(module, "run"):
            print(f"== bench.{module_info.name}", flush=True)
            module.run()


if __name__ == "__main__":
    main()
