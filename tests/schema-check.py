#!/usr/bin/env python3
"""schema-check.py - validate report.json files against docs/report.schema.json.

Usage: tests/schema-check.py [--schema FILE] REPORT...

Prints one line per report, "ok FILE" or "not ok FILE: WHERE: WHY" for each
violation, and exits 0 when every report is valid, 1 when one is not, 2 on a
usage error or an unreadable schema, and 77 (the usual "skipped" code) when
the jsonschema module (Debian: python3-jsonschema) is not installed, so a
machine without it skips the check instead of failing it.
"""
import json
import os
import sys

SKIP = 77


def main(argv):
    schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs",
                               "report.schema.json")
    args = argv[1:]
    if len(args) >= 2 and args[0] == "--schema":
        schema_path, args = args[1], args[2:]
    if not args or args[0].startswith("-"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("skip: no jsonschema module (install python3-jsonschema)")
        return SKIP
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        # A broken schema must fail loudly, not pass every report.
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print("not ok %s: the schema itself: %s" % (schema_path, e))
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in args:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print("not ok %s: %s" % (path, e))
            failed += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if not errors:
            print("ok %s" % path)
            continue
        failed += 1
        # One line per file, as promised; the first violations name where they are.
        where = "; ".join("%s: %s" % ("/" + "/".join(str(p) for p in e.absolute_path), e.message[:200])
                          for e in errors[:3])
        more = " (+%d more)" % (len(errors) - 3) if len(errors) > 3 else ""
        print("not ok %s: %s%s" % (path, where, more))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
