"""How kgstore finds libkgstore (kgstore/_capi.py), and life without
rdflib. Each case runs in a fresh interpreter."""

import ctypes.util
import os
import shutil
import subprocess
import sys

import pytest

from conftest import PACKAGE_ROOT

LIBRARY = os.path.realpath(os.environ["KGSTORE_LIBRARY"])


def run(code, env_changes, pythonpath):
    env = {k: v for k, v in os.environ.items()
           if k not in ("KGSTORE_LIBRARY", "PYTHONPATH")}
    env.update(env_changes)
    env["PYTHONPATH"] = pythonpath
    # cwd: not a folder holding a kgstore package (-c puts it first)
    return subprocess.run([sys.executable, "-c", code], env=env,
                          cwd=os.path.dirname(pythonpath),
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def installed_copy(scratch):
    """The package copied as the install step lays it out: beside a
    _library_path.py naming the library relatively."""
    site = os.path.join(scratch, "lib", "python3", "dist-packages")
    package = os.path.join(site, "kgstore")
    shutil.copytree(os.path.join(PACKAGE_ROOT, "kgstore"), package,
                    ignore=shutil.ignore_patterns("__pycache__",
                                                  "_library_path.py"))
    libdir = os.path.join(scratch, "lib")
    soname = "libkgstore.so.0.2"
    shutil.copy(LIBRARY, os.path.join(libdir, soname))
    with open(os.path.join(package, "_library_path.py"), "w") as f:
        f.write('LIBRARY = "%s"\n' % os.path.relpath(
            os.path.join(libdir, soname), package))
    return site, os.path.join(libdir, soname)


def test_library_path_file(installed_copy):
    site, library = installed_copy
    done = run("import kgstore, rdflib.plugin, rdflib.store\n"
               "print(kgstore._capi.LIBRARY_PATH)\n"
               "print(kgstore.version())\n"
               "print(rdflib.plugin.get('kgstore', rdflib.store.Store))",
               {}, site)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == library
    assert lines[1].startswith("0.2.")
    assert "KgstoreStore" in lines[2]


def test_environment_variable_comes_first(installed_copy):
    site, _ = installed_copy
    done = run("import kgstore; print(kgstore._capi.LIBRARY_PATH)",
               {"KGSTORE_LIBRARY": LIBRARY}, site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == LIBRARY


def test_bad_environment_variable_is_an_error(installed_copy):
    site, _ = installed_copy
    done = run("import kgstore", {"KGSTORE_LIBRARY": "/nonexistent/lib.so"},
               site)
    assert done.returncode != 0
    assert "ImportError" in done.stderr
    assert "KGSTORE_LIBRARY" in done.stderr and "/nonexistent/lib.so" in \
        done.stderr


def test_nothing_found_says_what_was_tried(scratch):
    if ctypes.util.find_library("kgstore"):
        pytest.skip("a libkgstore is installed on this system")
    site = os.path.join(scratch, "site")
    shutil.copytree(os.path.join(PACKAGE_ROOT, "kgstore"),
                    os.path.join(site, "kgstore"),
                    ignore=shutil.ignore_patterns("__pycache__",
                                                  "_library_path.py"))
    done = run("import kgstore", {}, site)
    assert done.returncode != 0
    assert "cannot find libkgstore" in done.stderr
    for tried in ("KGSTORE_LIBRARY", "_library_path.py", "find_library"):
        assert tried in done.stderr


def test_without_rdflib(scratch):
    code = (
        "import sys\n"
        "sys.modules['rdflib'] = None  # as if it were not installed\n"
        "import kgstore, decimal\n"
        "assert not kgstore.HAVE_RDFLIB\n"
        "db = kgstore.open(sys.argv[1] if len(sys.argv) > 1 else %r)\n"
        "db.load(b'<http://a> <http://p> 1.5, \"x\"@en, _:b, <http://c> .',"
        " format='turtle')\n"
        "values = sorted(map(repr, (r['o'] for r in db.query("
        "'SELECT ?o { ?s ?p ?o }'))))\n"
        "print(values)\n"
        "with db.transaction() as txn:\n"
        "    txn.add((kgstore.IRI('http://a'), kgstore.IRI('http://p'), 2))\n"
        "print(len(db))\n"
        "db.close()\n" % os.path.join(scratch, "s"))
    done = run(code, {"KGSTORE_LIBRARY": LIBRARY}, PACKAGE_ROOT)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    values = eval(lines[0])
    assert "Decimal('1.5')" in values and "'x'" in values
    assert "IRI('http://c')" in values
    assert any(v.startswith("BlankNode('kgb") for v in values)
    assert lines[1] == "5"
