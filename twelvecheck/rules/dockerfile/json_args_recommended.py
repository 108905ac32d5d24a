from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Edit, Finding
from twelvecheck.rules._fixes import make_fix, text_span
from twelvecheck.rules._verify import config_evidence, config_source, confirmed, refuted
from twelvecheck.rules.base import InstructionRule


class ShellFormCommand(InstructionRule):
    """`CMD` or `ENTRYPOINT` in shell form.

    ## What it does
    Flags `CMD app --flag` and `ENTRYPOINT app` written without a JSON array. BuildKit's own
    check accepts the shell form when the stage sets an explicit `SHELL`; so does this rule.

    ## Why is this bad?
    The shell form runs the command as a child of `/bin/sh -c`, which does not pass signals on:
    `docker stop` sends SIGTERM to the shell, the app never sees it, and it is killed after the
    grace period (factor IX: disposability, fast start and graceful shutdown).

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    CMD python -m app
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    CMD ["python", "-m", "app"]
    ```

    ## Fix safety
    The fix writes the words as a JSON array, only for a command that is plain words: no
    variable, glob, `~`, redirection, pipe, `&&`, `;` or substitution. A command with such
    shell features gets no fix: it needs its shell (write `["sh", "-c", "…"]` with `exec`, or
    move it into a script), and the hint says which feature.

    Safe for a `CMD` when the stage (and the stages it is built FROM) sets no `ENTRYPOINT`, and
    for an `ENTRYPOINT` when they set no `CMD`: the same program runs with the same arguments, now as PID 1. Unsafe otherwise:
    in exec form an `ENTRYPOINT` gets the `CMD` appended as arguments (the shell form ignored
    it), and an `ENTRYPOINT` receives a `CMD`'s words instead of `/bin/sh -c "…"`. An
    `ENTRYPOINT` inherited from the base image also receives the words directly.

    ## References
    - [hadolint DL3025](https://github.com/hadolint/hadolint/wiki/DL3025)
    - [BuildKit JSONArgsRecommended](https://docs.docker.com/reference/build-checks/json-args-recommended/)
    """

    code = "DF004"
    name = "shell-form-command"
    severity = "warning"
    factors = ("IX",)
    aliases = {"hadolint": ("DL3025",), "buildkit": ("JSONArgsRecommended",)}
    keywords = frozenset({"CMD", "ENTRYPOINT"})
    fixable = True
    fix_safety = "unsafe"

    def check_instruction(self, ctx, instruction) -> Iterator[Finding]:
        if instruction.json or not instruction.text:
            return
        stage = ctx.stage_of(instruction)
        if stage is not None and "SHELL" in ctx.stage_keywords(stage):
            return
        words, feature = _plain_words(instruction.text)
        hint = f'use the exec form: {instruction.keyword} ["executable", "arg", …]'
        if feature:
            hint += f" (this command uses {feature}: keep a shell with exec, or move it into a script)"
        fix = None
        if words:
            other = "CMD" if instruction.keyword == "ENTRYPOINT" else "ENTRYPOINT"
            safe = stage is not None and not any(other in ctx.stage_keywords(s) for s in ctx.stage_chain(stage))
            fix = make_fix("use the exec form",
                           Edit(text_span(instruction, 0, len(instruction.text)), _json_array(words)), safe=safe)
        yield Finding(
            instruction.span,
            f"{instruction.keyword} uses the shell form, so /bin/sh is PID 1 and signals never reach the process",
            hint=hint, fix=fix,
        )

    def verify(self, finding: Finding, image):
        """Only the command the final config runs matters: one a later instruction replaced is moot."""
        step = image.step_at(finding.span.line)
        keyword = step.created_by.split(None, 1)[0].upper() if step and step.created_by else ""
        name = "entrypoint" if keyword == "ENTRYPOINT" else "cmd"
        value = getattr(image.config.config, name)
        label = "Entrypoint" if name == "entrypoint" else "Cmd"
        line, base = config_source(image, name)
        proof = config_evidence(image, f"the image config's {label} is {list(value) if value else None}, set at "
                                       f"line {line}", label, list(value) if value else None, line, base)
        return confirmed(proof) if line == finding.span.line else refuted(proof)


_SHELL_CHARACTERS = {"$": "a variable", "`": "a substitution", "*": "a glob", "?": "a glob", "[": "a glob",
                     "~": "'~'", "{": "a brace", "\\": "a backslash"}


_BUILTINS = frozenset({"cd", "export", "set", "source", ".", "eval", "ulimit", "trap", "umask", "wait", "exec",
                       "unset", "alias", "read", "shift", "exit", "return", "[", "[[", "test"})


def _plain_words(text: str) -> tuple[list[str], str | None]:
    """The command's words when it is plain words (the exec form means the same), else the
    shell feature it uses."""
    from twelvecheck.parse.shell import parse_script

    script = parse_script(text)
    commands = [c for c in script.commands if c.wrapped_by is None]  # not exec's or sh -c's inner one
    if script.errors or len(commands) != 1 or script.substituted or commands[0].depth:
        return [], "several commands, operators or substitutions"
    command = commands[0]
    if command.redirects:
        return [], "a redirection"
    if command.assignments:
        return [], "a variable assignment"
    if command.start != len(text) - len(text.lstrip()) or text[command.end:].strip():
        return [], "shell syntax around the command"
    for word in command.argv:
        for character, feature in _SHELL_CHARACTERS.items():
            if character in word.raw:
                return [], feature
    words = [word.value for word in command.argv]
    if words[:1] == ["exec"]:
        words = words[1:]  # the exec form is what `exec` asked for
    if not words or words[0] in _BUILTINS:
        return [], f"the shell builtin '{words[0] if words else 'exec'}'"
    return words, None


def _json_array(words: list[str]) -> str:
    import json

    return "[" + ", ".join(json.dumps(word, ensure_ascii=False) for word in words) + "]"
