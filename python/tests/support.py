"""Shared by the tests: puts the package on sys.path and loads the vectors the TypeScript SDK uses too."""

import base64
import json
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[1]
VECTORS_FILE = PYTHON_DIR.parent / "test-vectors" / "webhooks.json"
sys.path.insert(0, str(PYTHON_DIR))

with VECTORS_FILE.open(encoding="utf-8") as vectors_file:
    VECTORS = json.load(vectors_file)


def vector_body(vector):
    """The body as the vector means it; a parsed object is deliberately the wrong type."""
    if "body_parsed" in vector:
        return vector["body_parsed"]
    if "body_base64" in vector:
        return base64.b64decode(vector["body_base64"])
    return vector["body"]


def vector_options(vector):
    options = vector.get("options", {})
    return {key: value for key, value in options.items() if key in ("scheme", "tolerance_seconds")}
