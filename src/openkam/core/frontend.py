"""Front-end packages from the npm registry, installed without Node.js.

`package.json` and `package-lock.json` at the project root declare them (npm's own
manifests, so `npm ci` works for a contributor who has Node.js). `python3 kam` installs
them into the virtual environment with this module: each tarball is downloaded from the
registry, checked against the lock's `integrity` hash, and unpacked into
`<venv>/share/openkam/npm/<name>/`, from where the static files are served. Nothing is
copied into the repository.

    python -m openkam.core.frontend          # install what the lock names (if changed)
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOCK = ROOT / "package-lock.json"
TARGET = Path(sys.prefix) / "share" / "openkam" / "npm"
REGISTRY = os.environ.get("KAM_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
MARKER = ".openkam-lock"


class FrontendError(Exception):
    """A package could not be installed; the message says which and why."""


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # "sha512-<base64>"

    @property
    def url(self) -> str:
        basename = self.name.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.name}/-/{basename}-{self.version}.tgz"


def locked_packages(lock: Path = LOCK) -> list[Package]:
    data = json.loads(lock.read_text("utf-8"))
    packages = []
    for path, entry in data.get("packages", {}).items():
        if not path.startswith("node_modules/"):
            continue
        name = path.removeprefix("node_modules/")
        if "integrity" not in entry:
            raise FrontendError(f"{lock.name}: {name} has no integrity hash")
        packages.append(Package(name, entry["version"], entry["integrity"]))
    return packages


def verify(data: bytes, integrity: str, name: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256"):
        raise FrontendError(f"{name}: unsupported integrity {algorithm!r}")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise FrontendError(f"{name}: the download does not match the lock's {algorithm} hash")


def unpack(data: bytes, destination: Path) -> None:
    """The tarball's `package/` folder into `destination`, refusing paths that leave it."""
    staging = destination.with_name(destination.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(staging, filter="data")
    root = staging / "package"
    shutil.rmtree(destination, ignore_errors=True)
    (root if root.is_dir() else staging).rename(destination)
    shutil.rmtree(staging, ignore_errors=True)


def _fingerprint(lock: Path) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def install(lock: Path = LOCK, target: Path = TARGET, fetch=None) -> list[Package]:
    """Install the locked packages unless this lock is installed already."""
    marker = target / MARKER
    if marker.exists() and marker.read_text() == _fingerprint(lock):
        return []
    fetch = fetch or _download
    packages = locked_packages(lock)
    target.mkdir(parents=True, exist_ok=True)
    for package in packages:
        data = fetch(package.url)
        verify(data, package.integrity, package.name)
        unpack(data, target / package.name)
    marker.write_text(_fingerprint(lock))
    return packages


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()
    except OSError as error:
        raise FrontendError(f"cannot download {url}: {error}") from error


def main() -> int:
    try:
        installed = install()
    except FrontendError as error:
        print(f"kam: front-end packages: {error}", file=sys.stderr)
        return 1
    for package in installed:
        print(f"kam: installed {package.name} {package.version} from the npm registry")
    return 0


if __name__ == "__main__":
    sys.exit(main())
