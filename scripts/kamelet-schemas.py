#!/usr/bin/env python3
"""Writes src/main/resources/schema/kamelet.json and pipe.json: the camel.apache.org/v1 openAPIV3Schema of Camel K's
Kamelet and Pipe CRDs, the schemas Kaoto and Karavan read, as JSON Schema for `validate`.

Usage: scripts/kamelet-schemas.py CAMEL_K_GIT_DIR   (a clone of https://github.com/apache/camel-k; PyYAML)
Left out: `status` (the operator writes it) and a Pipe's `integration` and `traits` (Camel K's own settings).
Objects are closed (additionalProperties: false) unless the CRD keeps unknown fields: Kubernetes prunes unknown
fields, so a misspelt key would be dropped there without a word; the check names it instead.
"""
import json
import subprocess
import sys

import yaml

CRDS = "pkg/resources/config/crd/bases/camel.apache.org_{}.yaml"


def closed(schema):
    properties = schema.get("properties")
    if properties is not None:
        if not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        for value in properties.values():
            closed(value)
    for key in ("additionalProperties", "items"):
        if isinstance(schema.get(key), dict):
            closed(schema[key])
    return schema


def main(checkout):
    commit = subprocess.check_output(["git", "-C", checkout, "rev-parse", "HEAD"], text=True).strip()
    for plural, out, dropped in (("kamelets", "kamelet", ()), ("pipes", "pipe", ("integration", "traits"))):
        text = subprocess.check_output(["git", "-C", checkout, "show", "HEAD:" + CRDS.format(plural)], text=True)
        crd = next(doc for doc in yaml.safe_load_all(text) if doc)
        schema = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")["schema"]["openAPIV3Schema"]
        schema["properties"].pop("status", None)
        for name in dropped:
            schema["properties"]["spec"]["properties"][name] = {"type": "object"}
        schema = {"$comment": f"apache/camel-k {CRDS.format(plural)} at {commit}, v1, written by"
                              " scripts/kamelet-schemas.py (Apache License 2.0)", **closed(schema)}
        with open(f"src/main/resources/schema/{out}.json", "w") as file:
            json.dump(schema, file, indent=1, sort_keys=False)
            file.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
