"""Where uploaded material lives: never under a public URL.

Local disk under settings.PRIVATE_MEDIA_ROOT by default; an S3-compatible bucket when
settings.STORAGES has a "materials" entry (django-storages, set from MATERIAL_S3_* variables).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read at every use so a changed setting takes effect."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        # There is deliberately no public URL: files go out through materials:download.
        raise NotImplementedError("Private files are served through a permission check only.")


_local = PrivateFileSystemStorage()


def material_storage() -> Storage:
    if "materials" in settings.STORAGES:
        return storages["materials"]
    return _local


def local_path(storage: Storage, name: str) -> str | None:
    """The file's path on this machine, or None for remote storage."""
    try:
        return storage.path(name)
    except NotImplementedError:
        return None
