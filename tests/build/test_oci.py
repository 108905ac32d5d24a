import json

from twelvecheck.build import mediatypes
from twelvecheck.build.digest import Digest
from twelvecheck.build.oci import Descriptor, ImageConfig, Index, Manifest, RuntimeConfig


def test_blob_digest_is_taken_from_its_canonical_bytes():
    config = ImageConfig(config=RuntimeConfig(env=("PATH=/bin",), cmd=("sh",)))
    assert config.data == b'{"architecture":"amd64","config":{"Cmd":["sh"],"Env":["PATH=/bin"]},' \
                          b'"os":"linux","rootfs":{"diff_ids":[],"type":"layers"}}'
    assert config.digest == Digest.of(config.data)
    assert config.descriptor() == Descriptor(mediatypes.OCI_CONFIG, config.digest, len(config.data))


def test_documents_round_trip_through_their_bytes():
    layer = Descriptor(mediatypes.OCI_LAYER_TAR_GZIP, Digest.of(b"x"), 1)
    config = ImageConfig(diff_ids=(Digest.of(b"y"),), config=RuntimeConfig(exposed_ports=("80/tcp",)))
    manifest = Manifest(config=config.descriptor(), layers=(layer,))
    assert ImageConfig.from_bytes(config.data) == config
    assert Manifest.from_bytes(manifest.data) == manifest
    index = Index(manifests=(manifest.descriptor(annotations=((mediatypes.REF_NAME_ANNOTATION, "v1"),)),))
    assert Index.from_bytes(index.data) == index
    assert json.loads(index.data)["manifests"][0]["annotations"] == {mediatypes.REF_NAME_ANNOTATION: "v1"}


def test_env_keeps_the_first_position_of_a_redefined_name():
    config = RuntimeConfig(env=("A=1", "B=2")).with_env("A", "3").with_env("C", "4")
    assert config.env == ("A=3", "B=2", "C=4")


def test_digest_parse_rejects_other_algorithms_and_bad_hex():
    for text in ("md5:abc", "sha256:xyz", "sha256:" + "A" * 64):
        try:
            Digest.parse(text)
        except ValueError:
            continue
        raise AssertionError(text)
