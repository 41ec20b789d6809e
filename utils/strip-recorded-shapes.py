#!/usr/bin/env python3
"""Prints a Keras model config without the shapes Keras recorded in it
(build_config and the shapes of Keras 3 call tensors), so that a test can
check that shape propagation alone finds them."""

import json
import sys


def strip(value):
    if isinstance(value, dict):
        if value.get("class_name") == "__keras_tensor__":
            value.get("config", {}).pop("shape", None)
        value.pop("build_config", None)
        for item in value.values():
            strip(item)
    elif isinstance(value, list):
        for item in value:
            strip(item)
    return value


with open(sys.argv[1]) as f:
    json.dump(strip(json.load(f)), sys.stdout)
