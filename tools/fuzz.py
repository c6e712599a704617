"""Fuzz the live API with schemathesis (GraphQL mode): generated queries for every root
field, valid and invalid, with a fixed seed and a bounded number of examples.

    python -m tools.fuzz [--examples 20] [--seed 20240501]

Starts the server (tools.live_server), sends `--examples` cases per root field and mode
(positive: arguments of the right types, sent accepting application/json; negative:
arguments of the wrong types, accepting application/graphql-response+json) and fails
when any response is a 5xx, or shows an unmasked exception or a masked one (a traceback, a
file path, "Internal server error"), or when the server logged an unexpected exception.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import Case, GenerationMode
from schemathesis.core.result import Ok

from tools.live_server import live_server

# What a response must never show: a traceback, a file path, a library's name, or an
# unexpected exception (masked or not: either way a bug to fix).
LEAKS = re.compile(
    r"Traceback|File \"|\.py\b|/work/|/tmp/|site-packages|"
    r"Internal server error|INTERNAL_SERVER_ERROR|strawberry|graphql-core|starlette",
    re.IGNORECASE,
)
ACCEPT = {
    GenerationMode.POSITIVE: "application/json",
    GenerationMode.NEGATIVE: "application/graphql-response+json",
}
# What the server logs for an exception it masked (schema.extensions) or could not handle.
LOGGED_FAULTS = re.compile(r"Traceback|unexpected \w+ at|Exception in ASGI application")


@dataclass
class Report:
    cases: int = 0
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    codes: collections.Counter[str] = field(default_factory=collections.Counter)
    failed_cases: int = 0
    failures: list[str] = field(default_factory=list)  # what went wrong, the first 50

    def record(self, case: Case[Any], status: int, body: bytes) -> None:
        self.cases += 1
        self.statuses[status] += 1
        text = body.decode("utf-8", "replace")
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            for error in payload.get("errors") or ():
                self.codes[str((error.get("extensions") or {}).get("code"))] += 1
        problem = None
        if status >= 500:
            problem = f"status {status}"
        elif (leak := LEAKS.search(text)) is not None:
            problem = f"response shows {leak.group(0)!r}"
        elif payload is None:
            problem = "the response is not JSON"
        if problem is None:
            return
        self.failed_cases += 1
        if len(self.failures) < 50:
            query = " ".join(str(case.body).split())  # GraphQL cases carry the query as body
            self.failures.append(f"{case.operation.label}: {problem}\n  query: {query[:300]}")


def fuzz(url: str, examples: int, fixed_seed: int, report: Report) -> None:
    schema = schemathesis.graphql.from_url(url)
    session = requests.Session()
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            report.failures.append(f"schemathesis could not read an operation: {result.err()}")
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz_operation(result.ok(), mode, examples, fixed_seed, session, report)
            except Exception as error:
                if "Impossible to generate negative" not in str(error):
                    report.failures.append(f"{result.ok().label} ({mode.value}): {error}")


def fuzz_operation(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    fixed_seed: int,
    session: requests.Session,
    report: Report,
) -> None:
    headers = {"Accept": ACCEPT[mode]}  # as the session spells it, or both are sent

    @seed(fixed_seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],  # every case counts once: no shrinking
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Case[Any]) -> None:
        response = case.call(session=session, headers=headers, timeout=30)
        report.record(case, response.status_code, response.content)

    run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=20, help="cases per root field and mode")
    parser.add_argument("--seed", type=int, default=20240501, help="hypothesis seed")
    args = parser.parse_args(argv)
    report = Report()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        with live_server(log=log) as server:
            print(f"fuzzing {server.graphql_url} (seed {args.seed})", flush=True)
            fuzz(server.graphql_url, args.examples, args.seed, report)
        logged = log.read_text(encoding="utf-8", errors="replace")
    faults = [line for line in logged.splitlines() if LOGGED_FAULTS.search(line)]
    if faults:
        report.failures.append("the server logged unexpected exceptions:\n" + logged[-3000:])
    seconds = time.monotonic() - started
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(report.statuses.items()))
    codes = ", ".join(f"{c}: {n}" for c, n in report.codes.most_common())
    print(f"statuses: {statuses}\nerror codes: {codes or 'none'}")
    for failure in report.failures:
        print(f"FAIL {failure}")
    other = len(report.failures) - min(report.failed_cases, 50)  # not a case's: the log, ...
    print(f"{report.cases} cases in {seconds:.0f} s (seed {args.seed})")
    # The closing line in the form CI reads: cases without a problem, cases with one.
    passed, failed = report.cases - report.failed_cases, report.failed_cases + other
    print(f"fuzz: {passed} passed, {failed} failed")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
