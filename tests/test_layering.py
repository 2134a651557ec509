"""The domain package never imports Streamlit, so it runs in the CLI, tests and benchmarks alone."""

import pkgutil
import subprocess
import sys

import pmostep
from tests.conftest import ROOT


def test_no_pmostep_module_imports_streamlit():
    modules = [m.name for m in pkgutil.iter_modules(pmostep.__path__, "pmostep.")
               if m.name != "pmostep.__main__"]
    assert "pmostep.scoring" in modules and "pmostep.cli" in modules
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
