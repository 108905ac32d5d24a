"""Media types the builder reads and writes.

Values from the OCI image spec v1.1 (``media-types.md``) and, where Docker-format inputs are
accepted, from Docker's image manifest v2 schema 2.
"""

OCI_LAYOUT_VERSION = "1.0.0"  # image-layout.md, the ``oci-layout`` file

OCI_INDEX = "application/vnd.oci.image.index.v1+json"  # image-index.md
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"  # manifest.md
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"  # config.md
OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"  # layer.md
OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"  # layer.md

DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"

INDEX_TYPES = frozenset({OCI_INDEX, DOCKER_MANIFEST_LIST})
MANIFEST_TYPES = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
GZIP_LAYER_TYPES = frozenset({OCI_LAYER_TAR_GZIP, DOCKER_LAYER_TAR_GZIP})
# A pulled layer keeps its bytes; only its media type is renamed to the OCI one, because the
# images we write are OCI manifests.  Layers of other types (zstd, foreign) are refused.
OCI_LAYER_TYPE_OF = {OCI_LAYER_TAR: OCI_LAYER_TAR, OCI_LAYER_TAR_GZIP: OCI_LAYER_TAR_GZIP,
                     DOCKER_LAYER_TAR_GZIP: OCI_LAYER_TAR_GZIP}

# annotation-conventions.md: the tag of a manifest inside an image layout's index.json
REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"
