"""`python SCRIPT [ARGS...]` as a WASI preview-2 command component (componentize-py): runs the
script file as __main__, with sys.argv = [SCRIPT, ARGS...], like CPython's own command line:
sys.exit(N) exits with N, an uncaught exception prints its traceback and exits with 1.
scripts/build-python.mjs builds it into build/python/python.wasm."""
import os
import sys
import traceback

# componentize-py snapshots the interpreter after importing this module, and the component holds
# only the modules imported by then: a standard-library module a script imports must be here.
import base64, collections, csv, datetime, functools, hashlib, io, itertools, json, math  # noqa: E401,F401
import pathlib, random, re, string, struct, textwrap, time  # noqa: E401,F401

from wit_world import exports


def exit_status(code) -> int:
    """SystemExit's code as CPython turns it into a process status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


class Run(exports.Run):
    def run(self) -> None:
        status = 0
        try:
            if len(sys.argv) < 2:
                print("usage: python SCRIPT [ARGS...]", file=sys.stderr)
                raise SystemExit(2)
            sys.argv = sys.argv[1:]
            with open(sys.argv[0], encoding="utf-8") as f:
                source = f.read()
            exec(compile(source, sys.argv[0], "exec"), {"__name__": "__main__", "__file__": sys.argv[0]})
        except SystemExit as e:
            status = exit_status(e.code)
        except BaseException:
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        if status:
            # wasi:cli/exit; a p2 host reports any non-zero status as 1 (exit has only ok/err).
            os._exit(status)
