from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from twelvecheck.findings import Edit, Finding, Fix
from twelvecheck.parse.compose.nodes import Mapping, Scalar, Sequence
from twelvecheck.rules._fixes import make_fix, source_lines
from twelvecheck.rules.base import Rule
from twelvecheck.rules.compose._private import has_healthcheck


class DependsOnWithoutHealthCondition(Rule):
    """`depends_on` a service that has a healthcheck, without waiting for it to be healthy.

    ## What it does
    Flags `depends_on` entries (short syntax, or `condition: service_started`) whose target
    service defines a healthcheck.

    ## Why is this bad?
    Factor IX (disposability): start-up order alone does not mean ready. The dependent service
    starts while the database is still initialising, fails, and restarts or crash-loops. The
    healthcheck is already there: use `condition: service_healthy`.

    ## Example
    ```yaml
    services:
      api:
        image: example/api:3.2
        depends_on: [db]
      db:
        image: postgres:16.4
        healthcheck:
          test: ["CMD", "pg_isready"]
    ```

    Use instead:
    ```yaml
    services:
      api:
        image: example/api:3.2
        depends_on:
          db: {condition: service_healthy}
      db:
        image: postgres:16.4
        healthcheck:
          test: ["CMD", "pg_isready"]
    ```

    ## Fix safety
    Unsafe: `docker compose up` now waits until the dependency's healthcheck passes, and fails
    when it never does. The fix edits the text in place (comments and anchors stay): a
    `condition: service_started` becomes `service_healthy`; a short list becomes the long
    form, where dependencies with a healthcheck get `service_healthy` and the others
    `service_started` (what the short form meant). Lists written through aliases, with
    variables or across files get no fix.
    """

    code = "DC016"
    name = "depends-on-without-health-condition"
    severity = "warning"
    factors = ("IX",)
    kind = "compose"
    fixable = True
    fix_safety = "unsafe"

    def check(self, ctx) -> Iterator[Finding]:
        for service in ctx.services.values():
            for dependency in service.depends_on:
                target = ctx.services.get(dependency.service)
                if dependency.condition == "service_started" and target is not None and has_healthcheck(target):
                    finding = ctx.finding_at(dependency.file, dependency.span,
                                             f"service '{service.name}' starts once '{dependency.service}' has started, not once it is healthy",
                                             hint="use depends_on: {%s: {condition: service_healthy}}" % dependency.service)
                    yield replace(finding, fix=_healthy_fix(ctx, service))


def _condition(ctx, name: str) -> str:
    target = ctx.services.get(name)
    return "service_healthy" if target is not None and has_healthcheck(target) else "service_started"


def _healthy_fix(ctx, service) -> Fix | None:
    """One fix for the service's whole ``depends_on``, so every finding in it carries the same
    edits (applied once)."""
    node = service.get("depends_on")
    if node is None or node.use_span is not None:
        return None
    if isinstance(node, Mapping):
        return _long_form_fix(ctx, node)
    if not isinstance(node, Sequence) or not node.items:
        return None
    items = node.items
    if not all(isinstance(i, Scalar) and i.style is None and i.use_span is None and "$" not in i.raw and i.file == node.file
               for i in items):
        return None
    lines = source_lines(node.file)
    if node.span.line <= len(lines) and lines[node.span.line - 1][node.span.column - 1:].startswith("["):
        mapping = ", ".join(f"{i.raw}: {{condition: {_condition(ctx, i.raw)}}}" for i in items)
        return make_fix("wait for healthy dependencies", Edit(node.span, "{" + mapping + "}"), safe=False)
    edits = []
    for item in items:
        line = lines[item.span.line - 1] if item.span.line <= len(lines) else ""
        dash = item.span.column - 3
        if dash < 0 or line[dash:dash + 2] != "- " or item.span.end_line != item.span.line:
            return None
        edits.append(Edit(type(item.span)(item.span.line, dash + 1, item.span.line, item.span.end_column),
                          f"{item.raw}: {{condition: {_condition(ctx, item.raw)}}}"))
    return make_fix("wait for healthy dependencies", *edits, safe=False)


def _long_form_fix(ctx, node: Mapping) -> Fix | None:
    edits = []
    for key, options in node.entries:
        if _condition(ctx, key.text) != "service_healthy" or not isinstance(options, Mapping):
            continue
        condition = options.get("condition")
        if isinstance(condition, Scalar) and condition.text == "service_started" and condition.use_span is None \
                and condition.file == node.file and condition.span.line == condition.span.end_line:
            edits.append(Edit(condition.span, "service_healthy"))
    return make_fix("wait for healthy dependencies", *edits, safe=False) if edits else None
