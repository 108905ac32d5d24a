"""``parse_script`` pauses the cyclic garbage collector while it reads, and leaves it as it was."""

from __future__ import annotations

import gc

import pytest

from twelvecheck.parse.shell import parse_script


@pytest.mark.parametrize("collecting", [True, False])
def test_collector_state_is_restored(collecting: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        parse_script.__wrapped__("apt-get update && echo $(uname -m) | sh -c 'x'")
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_collector_is_restored_when_reading_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import twelvecheck.parse.shell as shell

    def broken(text: str) -> None:
        raise ValueError(text)

    monkeypatch.setattr(shell, "_read", broken)
    assert gc.isenabled()
    with pytest.raises(ValueError):
        shell.parse_script.__wrapped__("x")
    assert gc.isenabled()


def test_reading_makes_no_reference_cycles() -> None:
    """The pause is safe only because nothing the reader makes needs the collector."""
    gc.collect()
    gc.disable()
    try:
        for text in ("a && b | c; d &", "f() { x; }; case $y in a) z;; esac", "cat <<EOF\nb\nEOF",
                     "sudo sh -c \"apt-get install $(cat list)\"", "echo 'unclosed", "((((", ")"):
            parse_script.__wrapped__(text)
        assert gc.collect() == 0
    finally:
        gc.enable()
