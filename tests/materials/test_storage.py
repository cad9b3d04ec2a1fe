import pytest
from storages.backends.s3 import S3Storage

from materials.storage import PrivateFileSystemStorage, material_storage


def test_local_private_storage_by_default(settings):
    storage = material_storage()
    assert isinstance(storage, PrivateFileSystemStorage)
    assert storage.location == str(settings.PRIVATE_MEDIA_ROOT.resolve())


def test_private_storage_has_no_public_url():
    with pytest.raises(NotImplementedError):
        material_storage().url("materials/x.pdf")


def test_s3_compatible_storage_when_configured(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "materials": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "circle-test", "default_acl": "private"},
        },
    }
    storage = material_storage()
    assert isinstance(storage, S3Storage)
    assert storage.bucket_name == "circle-test"
