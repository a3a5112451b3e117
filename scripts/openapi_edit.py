#!/usr/bin/env python3
"""Edit internal/web/openapi.json in place: load, apply a function, write back in the one canonical format.

Usage from another script:  from openapi_edit import edit;  edit(lambda doc: doc["paths"].update({...}))
Keeping one format (2-space indent, keys in insertion order, UTF-8) keeps diffs small when several people edit.
"""
import json, os, sys

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "internal", "web", "openapi.json")


def edit(fn):
    with open(PATH, encoding="utf-8") as f:
        doc = json.load(f)
    fn(doc)
    tmp = PATH + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, PATH)


if __name__ == "__main__":
    edit(lambda doc: None)  # reformat only
    sys.exit(0)
