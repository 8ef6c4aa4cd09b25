"""The README's gateway examples, in the order a reader meets them, and how to run each against a
served gateway: ```graphql blocks (one that declares variables runs with each ```json block
after it), and ```sh blocks that `curl localhost:8000` (the standalone sandbox's `$S` examples
are not the gateway's).

A shell block runs as one bash script, `localhost:8000` pointed at the served gateway, with
`curl` wrapped to log each call's exit code, HTTP status and output (`CurlCall`). A call whose
answer holds GraphQL errors must name them in its trailing comment (`# PersistedQueryNotFound`),
and a comment naming a `Cache-Control:` value must be what the answer carries.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"
GATEWAY = "localhost:8000"
STANDALONE_SANDBOX = "$S"
BLOCK = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.DOTALL | re.MULTILINE)
COMMENT = re.compile(r"\s#\s(.*)$")
CURL_TIMEOUT_EXIT = 28  # curl's "operation timed out": how a stream example ends here
# Each call: "<exit code> <HTTP status> <base64 of what it printed>" on a line of the log.
CURL_WRAPPER = r"""
curl() {
  local out rc
  out=$(command curl --silent --show-error --max-time "$CURL_MAX_TIME" \
        --write-out '\n%{http_code}' "$@")
  rc=$?
  printf '%s %s %s\n' "$rc" "${out##*$'\n'}" "$(printf '%s' "${out%$'\n'*}" | base64 -w0)" \
    >> "$CURL_LOG"
  printf '%s\n' "${out%$'\n'*}"
}
"""


@dataclass(frozen=True)
class GraphQLExample:
    document: str
    variables: dict[str, Any] | None
    line: int

    @property
    def is_mutation(self) -> bool:
        return self.document.lstrip().startswith("mutation")


@dataclass(frozen=True)
class ShellExample:
    script: str
    line: int

    @property
    def streams(self) -> bool:
        """A `curl -N` of an event stream: it runs until stopped."""
        return "curl -N" in self.script

    def comments(self) -> list[str]:
        """The trailing comment of each `curl` command, in order ("" for none)."""
        logical = re.sub(r"\\\n", " ", self.script).splitlines()
        commands = [line for line in logical if line.lstrip().startswith("curl ")]
        return [(match.group(1) if (match := COMMENT.search(c)) else "") for c in commands]


Example = GraphQLExample | ShellExample


def gateway_examples(text: str | None = None) -> list[Example]:
    text = README.read_text(encoding="utf-8") if text is None else text
    examples: list[Example] = []
    with_variables: str | None = None
    for match in BLOCK.finditer(text):
        language, body = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if language == "graphql":
            if "$" in body:
                with_variables = body
            else:
                examples.append(GraphQLExample(body, None, line))
        elif language == "json":
            assert with_variables, f"README line {line}: variables with no operation before them"
            examples.append(GraphQLExample(with_variables, json.loads(body), line))
        elif language == "sh" and GATEWAY in body and STANDALONE_SANDBOX not in body:
            examples.append(ShellExample(body, line))
    return examples


@dataclass(frozen=True)
class CurlCall:
    exit_code: int
    status: int
    output: str
    comment: str

    @property
    def headers(self) -> str:
        """The response headers when the command printed them (`-i`), lower-cased."""
        if not self.output.startswith("HTTP/"):
            return ""
        return self.output.split("\r\n\r\n", 1)[0].lower()

    @property
    def body(self) -> str:
        return self.output.split("\r\n\r\n", 1)[1] if self.headers else self.output

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


@dataclass
class ShellRun:
    """A shell example running: `wait()` for its calls."""

    process: subprocess.Popen[str]
    log: Path
    example: ShellExample
    directory: tempfile.TemporaryDirectory[str] = field(repr=False)

    def wait(self, timeout: float) -> list[CurlCall]:
        stdout, stderr = self.process.communicate(timeout=timeout)
        try:
            lines = self.log.read_text().splitlines() if self.log.exists() else []
        finally:
            self.directory.cleanup()
        comments = self.example.comments()
        assert len(lines) == len(comments), (self.example.line, stdout, stderr)
        calls = []
        for line, comment in zip(lines, comments, strict=True):
            exit_code, status, encoded = [*line.split(" ", 2), ""][:3]
            output = base64.b64decode(encoded).decode() if encoded else ""
            calls.append(CurlCall(int(exit_code), int(status), output, comment))
        return calls


def start_shell(example: ShellExample, base_url: str, max_time: float) -> ShellRun:
    """Run the example's script with `localhost:8000` replaced by `base_url`'s host and port."""
    directory = tempfile.TemporaryDirectory()
    log = Path(directory.name) / "curl.log"
    host = base_url.removeprefix("http://")
    script = CURL_WRAPPER + example.script.replace(GATEWAY, host)
    env = {**os.environ, "CURL_LOG": str(log), "CURL_MAX_TIME": str(max_time)}
    process = subprocess.Popen(
        ["bash", "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    return ShellRun(process, log, example, directory)
