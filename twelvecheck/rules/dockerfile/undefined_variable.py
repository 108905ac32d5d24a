from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules.base import InstructionRule
from twelvecheck.rules.context import PREDEFINED_ARGS, arg_pairs, env_pairs
from twelvecheck.rules.dockerfile._variables import chain_from_scratch, declared_global_args, suggestion

# The instructions whose arguments BuildKit expands (RUN, CMD and ENTRYPOINT are left to the shell).
EXPANDED = frozenset({"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", "ARG"})
EXPANDED_FLAGS = ("from", "chown", "chmod")


SUGGESTION_LIMIT = 256  # names in scope beyond which no typo is suggested

class UndefinedVariable(InstructionRule):
    """A variable used before any `ARG` or `ENV` defines it.

    ## What it does
    Looks at the instructions BuildKit expands (`COPY`, `ADD`, `ENV`, `ARG`, `LABEL`, `WORKDIR`,
    `USER`, `EXPOSE`, `VOLUME`, `STOPSIGNAL`). A variable that no `ARG`/`ENV` of the stage (or
    of the stage it is built `FROM`) defines is flagged when:

    - the stage is built from `scratch`, so nothing else could define it; or
    - the name is a near miss of a defined one (`$PAHT` for `$PATH`), reported with a
      "did you mean".

    A base image from a registry may define variables this linter cannot see (`PYTHON_VERSION`
    in `python` images), so other unknown names are not reported. `${VAR:-default}` is fine.

    ## Why is this bad?
    An undefined variable expands to an empty string: `COPY $SRC .` copies the whole context,
    `WORKDIR /srv/$APP` becomes `/srv/`.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    ARG APP_DIR=/srv/app
    WORKDIR $APP_DIRR
    ```

    Use instead:
    ```dockerfile
    FROM alpine:3.20
    ARG APP_DIR=/srv/app
    WORKDIR $APP_DIR
    ```

    ## References
    - [BuildKit UndefinedVar](https://docs.docker.com/reference/build-checks/undefined-var/)
    """

    code = "DF039"
    name = "undefined-variable"
    severity = "warning"
    aliases = {"buildkit": ("UndefinedVar",)}
    keywords = EXPANDED

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        stage = ctx.stage_of(instruction)
        if stage is None or ctx.is_onbuild_trigger(instruction):
            return
        texts = [instruction.text] + [v for name in EXPANDED_FLAGS for v in instruction.flag_values(name)]
        missing: set[str] = set()
        for text in texts:
            missing |= ctx.expansion(text, instruction).missing
        missing -= PREDEFINED_ARGS | self._defined_here(instruction)
        if not missing:
            return
        scope = ctx.variables_at(instruction)
        # A typo is looked for among the names in scope; past SUGGESTION_LIMIT of them (a generated
        # file, not a hand-written one) the search would make the rule quadratic, so it stops.
        if len(scope) + len(declared_global_args(ctx)) <= SUGGESTION_LIMIT:
            in_scope = set(scope) | set(declared_global_args(ctx)) | {"PATH", "HOME"}
        else:
            in_scope = {"PATH", "HOME"}
        from_scratch = chain_from_scratch(ctx, stage)
        for name in sorted(missing):
            close = suggestion(name, in_scope)
            if close is None and not from_scratch:
                continue
            note = f" (did you mean ${close}?)" if close else ""
            declared_globally = " (a global ARG must be declared again inside the stage)" if name in declared_global_args(ctx) else ""
            yield Finding(instruction.span, f"${name} is not defined here{note}{declared_globally}",
                          hint=f"define it first (ARG {name} or ENV {name}=…), or fix the name")

    @staticmethod
    def _defined_here(instruction) -> set[str]:
        """Names the instruction itself sets: a self-reference is env-self-reference's business."""
        if instruction.keyword == "ENV":
            return {key for key, _ in env_pairs(instruction)}
        if instruction.keyword == "ARG":
            return {name for name, _ in arg_pairs(instruction)}
        return set()
