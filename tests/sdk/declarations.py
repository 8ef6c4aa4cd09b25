"""What the official Wix JS SDK declares per method, read from its installed build files.

Each `@wix/auto_sdk_*` module ships `build/es/index.mjs`, whose request builders name every
method's HTTP verb, fully qualified name and proto path, and whose `resolve...Url` tables map a
proto path to the REST paths each host routes; and `build/es/index.typings.d.mts`, whose
`declare function`s carry the method's `@fqn` and an `__applicationErrorsType` naming a union of
`{ code?: 'X' }` objects: the application error codes the method may answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

WIX_API_HOST = "www.wixapis.com"  # the host the SDK (and the gateway) call

_RESOLVER = re.compile(r"^function (resolve\w+Url)\(opts\) \{\n(.*?)\n\}$", re.S | re.M)
_HOST = re.compile(r'^    (?:"([^"]+)"|(\w+)): \[\n(.*?)\n    \]', re.S | re.M)
_MAPPING = re.compile(r'srcPath: "([^"]*)",\s*destPath: "([^"]*)"')
_BUILDER = re.compile(
    r'method: "(\w+)",\s*methodFqn: "([\w.]+)",'
    r'.*?url: (resolve\w+Url)\(\s*\{\s*protoPath: "([^"]+)"',
    re.S,
)
_DECLARATION = re.compile(r"@fqn ([\w.]+)\n \*/\ndeclare function \w+\((.*?)\n(?=\S)", re.S)
_ERRORS_TYPE = re.compile(r"__applicationErrorsType\?: (\w+);")
_CODE = re.compile(r"code\?: '([A-Z0-9_]+)'")


@dataclass(frozen=True)
class SdkMethod:
    fqn: str
    http_method: str
    path: str  # the REST path the SDK calls on `WIX_API_HOST`
    paths: frozenset[str]  # every path that host's table routes to the method
    codes: frozenset[str]  # the application error codes it declares


def _mappings(mjs: str) -> dict[str, list[tuple[str, str]]]:
    """Each resolver's `(srcPath, destPath)` pairs for `WIX_API_HOST`, in table order."""
    tables: dict[str, list[tuple[str, str]]] = {}
    for resolver in _RESOLVER.finditer(mjs):
        hosts = {
            (host.group(1) or host.group(2)): _MAPPING.findall(host.group(3))
            for host in _HOST.finditer(resolver.group(2))
        }
        # The runtime falls back to the `_` table for a host the resolver does not name.
        tables[resolver.group(1)] = hosts.get(WIX_API_HOST, hosts.get("_", []))
    return tables


def _error_types(typings: str) -> dict[str, frozenset[str]]:
    """Each `...ApplicationErrors` type name -> the codes of its union."""
    found: dict[str, frozenset[str]] = {}
    for match in re.finditer(r"^type (\w+ApplicationErrors) = (.*?)\n\};$", typings, re.S | re.M):
        found[match.group(1)] = frozenset(_CODE.findall(match.group(2)))
    return found


def _declared_codes(typings: str) -> dict[str, frozenset[str]]:
    """fqn -> the codes its public function declares (empty when it names no errors type)."""
    types = _error_types(typings)
    codes: dict[str, frozenset[str]] = {}
    for match in _DECLARATION.finditer(typings):
        errors = _ERRORS_TYPE.search(match.group(2))
        codes[match.group(1)] = types[errors.group(1)] if errors else frozenset()
    return codes


def read_module(build: Path) -> dict[str, SdkMethod]:
    """The methods of one SDK module, from its `build/es` directory."""
    mjs = (build / "index.mjs").read_text()
    codes = _declared_codes((build / "index.typings.d.mts").read_text())
    tables = _mappings(mjs)
    methods: dict[str, SdkMethod] = {}
    for block in mjs.split("\nfunction ")[1:]:
        builder = _BUILDER.search(block)
        if builder is None:
            continue
        verb, fqn, resolver, proto = builder.groups()
        routed = [(src, dst) for src, dst in tables[resolver] if proto.startswith(dst)]
        if not routed:
            continue
        src, dst = routed[0]  # the runtime takes the first match (`resolvePathFromMappings`)
        methods[fqn] = SdkMethod(
            fqn,
            verb,
            src + proto[len(dst) :],
            frozenset(s + proto[len(d) :] for s, d in routed),
            codes.get(fqn, frozenset()),
        )
    return methods


def read_sdk(node_modules: Path) -> dict[str, SdkMethod]:
    """Every method of every installed `@wix/auto_sdk_*` module, by fully qualified name."""
    methods: dict[str, SdkMethod] = {}
    for build in sorted(node_modules.glob("@wix/auto_sdk_*/build/es")):
        methods.update(read_module(build))
    return methods
