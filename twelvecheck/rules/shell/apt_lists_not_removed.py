from __future__ import annotations

from collections.abc import Iterator

from twelvecheck.findings import Finding
from twelvecheck.rules._fixes import append_step, make_fix
from twelvecheck.rules.mounts import caches_path
from twelvecheck.rules.shell._base import ShellRule
from twelvecheck.rules._verify import files_left_verdict

APT_LISTS = "/var/lib/apt/lists"
# apt-get subcommands that read the package lists: run without them, they fail.
_READS_LISTS = frozenset({"install", "reinstall", "build-dep", "source", "download", "satisfy",
                          "upgrade", "dist-upgrade", "full-upgrade"})
REMOVE_LISTS = "rm -rf /var/lib/apt/lists/*"


def removes_apt_lists(run) -> bool:
    """``rm -rf /var/lib/apt/lists/*``, or ``apt-get dist-clean`` (apt 2.9+), which removes them."""
    return any(
        command.name == "rm" and any(arg.rstrip("/*").rstrip("/") == APT_LISTS for arg in command.args)
        or _apt_subcommand(run, command) == "dist-clean"
        for command in run.commands
    )


def _apt_subcommand(run, command) -> str | None:
    """The subcommand through apt's own option parser: ``apt-get -qq -o X=1 update`` updates."""
    apt = run.invocation(command) if command.name in ("apt-get", "apt") else None
    return apt.subcommand if apt is not None else None


class AptListsNotRemoved(ShellRule):
    r"""`apt-get update` whose package lists stay in the image.

    ## What it does
    Flags `apt-get update` in a RUN of the stages that make the final image when the same RUN
    does not remove `/var/lib/apt/lists/*`. A BuildKit cache or tmpfs mount on
    `/var/lib/apt/lists` (or `/var/lib/apt`) keeps them out of the layer and is accepted, and so
    is `apt-get dist-clean` (apt 2.9 and later), which removes the lists itself. Build
    stages whose files are only copied from are not judged.

    ## Why is this bad?
    The lists weigh tens of megabytes and go stale; removing them in a later RUN does not shrink
    the image, because the layer that added them is still there.

    ## Example
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    ```

    Use instead:
    ```dockerfile
    FROM debian:12-slim
    RUN apt-get update \
        && apt-get install -y --no-install-recommends curl \
        && rm -rf /var/lib/apt/lists/*
    ```

    ## Fix safety
    Safe: `rm -rf /var/lib/apt/lists/*` goes at the end of the RUN, and only when no later RUN
    of the stage (or of a stage built FROM it) reads the lists without its own
    `apt-get update` first, and none runs a script we cannot see into: removing the lists
    there would break that later install (the repair tools that append the cleanup everywhere
    break such builds).

    ## References
    - [hadolint DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
    - binnacle rule `ruleAptGetInstallThenRemoveAptLists` (Henkel et al., ICSE 2020)
    """

    code = "SH003"
    name = "apt-lists-not-removed"
    severity = "info"
    aliases = {"hadolint": ("DL3009",), "binnacle": ("ruleAptGetInstallThenRemoveAptLists",)}
    fixable = True

    def check_script(self, ctx, run) -> Iterator[Finding]:
        if not ctx.in_final_image(run.instruction):
            return
        if caches_path(run.instruction, APT_LISTS):
            return
        updates = [c for c in run.commands if _apt_subcommand(run, c) == "update"]
        if updates and not removes_apt_lists(run):
            yield Finding(run.command_span(updates[0]), "apt-get update leaves its package lists in this layer",
                          hint="end the same RUN with && rm -rf /var/lib/apt/lists/*",
                          fix=None if _later_run_needs_lists(ctx, run) else
                          make_fix("remove the apt lists at the end of the RUN", append_step(run, REMOVE_LISTS)))

    def verify(self, finding: Finding, image):
        return files_left_verdict(image, finding, (APT_LISTS,), "the apt package lists")


def _later_run_needs_lists(ctx, run) -> bool:
    """A later RUN of the stage (or of a stage built FROM it) may read the apt lists this RUN
    leaves: it installs without an update of its own first, or it runs what we cannot see
    (a script file, the exec form, ONBUILD)."""
    stage = ctx.stage_of(run.instruction)
    if stage is None or ctx.is_onbuild_trigger(run.instruction):
        return True
    own_lines, below = ctx.memo("SH003 needs lists", lambda: _lists_needed(ctx))
    lines = own_lines[stage.index]
    return below[stage.index] or bool(lines) and lines[-1] > run.instruction.span.line


def _lists_needed(ctx) -> tuple[list[list[int]], list[bool]]:
    """One pass over the file: for each stage, the lines of its instructions that may read
    the apt lists, and whether a stage built FROM it (directly or not) has one."""
    stages = ctx.dockerfile.stages
    own_lines = [[instruction.span.line for instruction in stage.instructions
                  if instruction.keyword == "ONBUILD" or instruction.keyword == "RUN" and _may_need_lists(ctx, instruction)]
                 for stage in stages]
    below = [False] * len(stages)
    for stage in reversed(stages):  # a child stage comes after its parent
        parent = ctx.parent_stage(stage)
        if parent is not None and (own_lines[stage.index] or below[stage.index]):
            below[parent.index] = True
    return own_lines, below


def _may_need_lists(ctx, instruction) -> bool:
    scripts = ctx.scripts_of(instruction)
    if not scripts:
        return True  # exec form or a shell we do not read
    for script in scripts:
        updated = False
        for command in script.script.all_commands:
            if command.name in ("apt-get", "apt", "aptitude"):
                subcommand = next((a for a in command.args if not a.startswith("-")), "")
                if subcommand == "update":
                    updated = True
                elif subcommand in _READS_LISTS and not updated:
                    return True
            elif command.name.endswith(".sh") or command.name in ("sh", "bash") and command.args \
                    and not command.args[0].startswith("-"):
                return True  # a script file: what it installs is out of sight
    return False
