"""verify on a real Debian base (mmdebstrap, the ``debian_base`` session fixture): apt over
``--network host`` puts real package lists and real recommends into the layer, and the image
shows them. The build reuses the fix-proof test's build cache beside the Debian base, so the
same RUN is built once for both."""

from __future__ import annotations

from twelvecheck.config import Config
from twelvecheck.verification import verify

DOCKERFILE = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y wget\n"


def test_apt_lists_recommends_and_root_are_proven_on_debian(tmp_path, debian_base):
    import debian_base as maker

    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    report = verify(str(tmp_path), None, Config(), bases={"debian:bookworm": f"oci:{debian_base}:latest"},
                    network="host", cache_dir=str(maker.cache_root() / "fix-proof-build-cache"))
    by_rule = {finding.rule: finding for finding in report.findings}

    lists = by_rule["SH003"]  # apt-get update leaves its lists in the layer
    assert lists.verification == "confirmed"
    evidence = lists.evidence[0].data
    assert evidence["layer"] == 2 and evidence["instruction_line"] == 2 and evidence["base"] is False
    assert evidence["path"].startswith("/var/lib/apt/lists") and evidence["bytes"] > 1_000_000

    recommends = by_rule["SH002"]  # no --no-install-recommends: ca-certificates comes along
    assert recommends.verification == "confirmed"
    assert "ca-certificates" in recommends.evidence[0].description

    root = by_rule["DF100"]  # no USER: the config's User is empty, root by the image's /etc/passwd
    assert root.verification == "confirmed"
