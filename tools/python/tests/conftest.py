"""Shared fixtures for the kgstore binding's tests.

Run from ctest (test `python_binding`), or by hand:

    KGSTORE_LIBRARY=build/libkgstore.so PYTHONPATH=tools/python \
        /usr/bin/python3 -m pytest -q -p no:cacheprovider tools/python/tests

Without KGSTORE_LIBRARY, the library of the build tree (build/libkgstore.so)
is used when there is one; without PYTHONPATH, tools/python is put first on
sys.path.
"""

import os
import shutil
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)                      # tools/python
REPO = os.path.dirname(os.path.dirname(PACKAGE_ROOT))      # the source tree

if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)
if not os.environ.get("KGSTORE_LIBRARY"):
    _built = os.path.join(REPO, "build", "libkgstore.so")
    if os.path.exists(_built):
        os.environ["KGSTORE_LIBRARY"] = _built

SEED = os.path.join(REPO, "examples", "seed", "kazinform-2023-02-24.trig")
QUERIES = os.path.join(REPO, "examples", "queries")
W3C = os.path.join(REPO, "tests", "data", "w3c")


def _scratch_root():
    # Stores are many and small: in memory (/dev/shm) they are made in a
    # few milliseconds instead of a quarter of a second of fsyncs.
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return shm
    return None


@pytest.fixture
def scratch():
    """A fresh directory, removed afterwards."""
    path = tempfile.mkdtemp(prefix="kgstore-test-", dir=_scratch_root())
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def module_scratch():
    path = tempfile.mkdtemp(prefix="kgstore-test-", dir=_scratch_root())
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def db(scratch):
    import kgstore
    database = kgstore.open(os.path.join(scratch, "store"), durable=False)
    yield database
    database.close()


def pytest_configure(config):
    # rdflib 6.1.1 looks up its plugins through a deprecated interface.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:SelectableGroups dict interface:DeprecationWarning")
