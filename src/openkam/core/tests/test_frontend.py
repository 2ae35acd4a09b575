"""Front-end packages: installed from the npm registry by the lock, checked by its hash."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile

import pytest

from openkam.core import frontend


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def write_lock(path, name: str, version: str, data: bytes) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "x"},
            f"node_modules/{name}": {"version": version, "integrity": integrity(data)},
        },
    }
    path.write_text(json.dumps(lock))


def test_the_projects_lock_names_each_package_with_a_hash():
    packages = {package.name: package for package in frontend.locked_packages()}
    assert {"plotly.js-basic-dist-min", "tom-select"} <= set(packages)
    assert all(package.integrity.startswith("sha512-") for package in packages.values())
    plotly = packages["plotly.js-basic-dist-min"]
    assert plotly.url.startswith("https://registry.npmjs.org/plotly.js-basic-dist-min/-/")


def test_a_package_is_unpacked_once_per_lock(tmp_path):
    data = tarball({"package/plotly-basic.min.js": b"/* plotly */", "package/LICENSE": b"MIT"})
    lock = tmp_path / "package-lock.json"
    write_lock(lock, "plotly.js-basic-dist-min", "4.1.1", data)
    fetched = []

    def fetch(url):
        fetched.append(url)
        return data

    target = tmp_path / "npm"
    assert [p.name for p in frontend.install(lock, target, fetch)] == ["plotly.js-basic-dist-min"]
    assert (target / "plotly.js-basic-dist-min" / "plotly-basic.min.js").read_bytes() == (
        b"/* plotly */"
    )
    assert fetched == [
        "https://registry.npmjs.org/plotly.js-basic-dist-min/-/plotly.js-basic-dist-min-4.1.1.tgz"
    ]
    assert frontend.install(lock, target, fetch) == [] and len(fetched) == 1


def test_a_download_that_does_not_match_the_lock_is_refused(tmp_path):
    lock = tmp_path / "package-lock.json"
    write_lock(lock, "left-pad", "1.0.0", tarball({"package/index.js": b"good"}))
    evil = tarball({"package/index.js": b"evil"})
    with pytest.raises(frontend.FrontendError, match="left-pad: the download does not match"):
        frontend.install(lock, tmp_path / "npm", lambda url: evil)
    assert not (tmp_path / "npm" / "left-pad").exists()


def test_a_scoped_package_is_fetched_from_its_scope():
    package = frontend.Package("@scope/lib", "2.0.0", "sha512-x")
    assert package.url.endswith("/@scope/lib/-/lib-2.0.0.tgz")


def test_a_path_leaving_the_folder_is_refused(tmp_path):
    data = tarball({"package/../../escape.js": b"x"})
    with pytest.raises(tarfile.FilterError):
        frontend.unpack(data, tmp_path / "npm" / "pkg")
    assert not (tmp_path / "escape.js").exists()


def test_chart_pages_load_the_basic_bundle(client, company):
    # `python3 kam` installs the bundle; without it the full one from the plotly package
    # is served (settings.py), which this test would catch.
    from django.conf import settings
    from django.urls import reverse

    assert settings.PLOTLY_SCRIPT == "vendor/plotly/plotly-basic.min.js"
    client.force_login(company["owner"])
    page = client.get(reverse("accounts:detail", args=[company["a"].pk])).content.decode()
    assert '<script src="/static/vendor/plotly/plotly-basic.min.js" defer></script>' in page
    assert client.get("/static/vendor/plotly/plotly-basic.min.js").status_code == 200


def test_pages_load_the_searchable_picker_and_mark_long_lists(client, company):
    from django.conf import settings
    from django.urls import reverse

    assert settings.SEARCHABLE_PICKERS
    client.force_login(company["owner"])
    page = client.get(reverse("activities:create")).content.decode()
    assert "/static/vendor/tom-select/js/tom-select.complete.min.js" in page
    assert '<select name="account" class="searchable" data-no-results="Nothing matches"' in page
    assert client.get("/static/vendor/tom-select/js/tom-select.complete.min.js").status_code == 200
