#!/usr/bin/env python3
"""Compares the on-chain interface of ink! contracts between two metadata files (or two folders of them).

What a deployed contract and its users depend on, and what this compares:
  - storage layout: every root and leaf key, field and variant name, and the shape of each stored type;
  - constructors and messages: label, selector, mutates, payable, argument labels and types, return type;
  - events: label, signature topic, field labels, which fields are topics, field types;
  - the error types messages return, through their return types.
Types are compared by shape (fields, variants, indices, primitives), never by their Rust path, so moving a type to
another module is not a change; path changes are listed apart, for information. Docs are ignored.

Usage: metadata-diff.py BEFORE AFTER
  BEFORE and AFTER are two metadata .json files, or two folders where <name>/<name>.json or <name>.json is found
  for every contract (the layout of target/ink and deployments/<network>). Exit status 1 when the interfaces
  differ, 0 when they are the same.
"""

import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


class Types:
    """Renders the types of one metadata file as canonical shape strings. With `names=False` variant names are left
    out: SCALE encodes a variant by its index, so a renamed variant is no change on the wire (it is listed apart)."""

    def __init__(self, metadata, names=True):
        self.types = {t["id"]: t["type"] for t in metadata["types"]}
        self.names = names
        self.cache = {}

    def path(self, type_id):
        return "::".join(self.types[type_id].get("path", []))

    def shape(self, type_id, seen=()):
        if type_id in self.cache:
            return self.cache[type_id]
        if type_id in seen:
            return f"<recursive {self.path(type_id)}>"
        seen = seen + (type_id,)
        ty = self.types[type_id]
        definition = ty["def"]
        (kind, body), = definition.items()
        params = ",".join(self.shape(p["type"], seen) for p in ty.get("params", []) if p.get("type") is not None)
        if kind == "primitive":
            out = body
        elif kind == "composite":
            out = "{" + ",".join(self.field(f, seen) for f in body.get("fields", [])) + "}"
        elif kind == "variant":
            variants = sorted(body.get("variants", []), key=lambda v: v["index"])
            out = "enum{" + ",".join(
                f'{v["index"]}:{v["name"] if self.names else ""}('
                + ",".join(self.field(f, seen) for f in v.get("fields", []))
                + ")"
                for v in variants
            ) + "}"
        elif kind == "sequence":
            out = "[" + self.shape(body["type"], seen) + "]"
        elif kind == "array":
            out = f'[{self.shape(body["type"], seen)};{body["len"]}]'
        elif kind == "tuple":
            out = "(" + ",".join(self.shape(t, seen) for t in body) + ")"
        elif kind == "compact":
            out = "compact<" + self.shape(body["type"], seen) + ">"
        else:
            out = f"{kind}:{json.dumps(body, sort_keys=True)}"
        # Generic parameters matter only where they shape the encoding (they do above); keep them for phantom types.
        if params and kind not in ("sequence", "array", "tuple", "compact"):
            out = f"{out}<{params}>"
        if len(seen) == 1:
            self.cache[type_id] = out
        return out

    def field(self, field, seen):
        name = field.get("name") or ""
        return f'{name}:{self.shape(field["type"], seen)}'


def layout(node, types):
    """The storage layout as nested plain data, types by shape."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "ty":
                out["ty"] = types.shape(value)
            else:
                out[key] = layout(value, types)
        return out
    if isinstance(node, list):
        return [layout(item, types) for item in node]
    return node


def interface(metadata, names=True):
    """What the chain and its users see of one contract, by shape."""
    types = Types(metadata, names)
    spec = metadata["spec"]

    def type_of(spec_type):
        return types.shape(spec_type["type"]) if spec_type else None

    def callable_(item, selector=True):
        return {
            "selector": item.get("selector") if selector else None,
            "mutates": item.get("mutates"),
            "payable": item.get("payable"),
            "default": item.get("default"),
            "args": [(a["label"], type_of(a["type"])) for a in item.get("args", [])],
            "returns": type_of(item.get("returnType")),
        }

    return {
        "constructors": {c["label"]: callable_(c) for c in spec["constructors"]},
        "messages": {m["label"]: callable_(m) for m in spec["messages"]},
        "events": {
            e["label"]: {
                "signature_topic": e.get("signature_topic"),
                "args": [(a["label"], a.get("indexed"), type_of(a["type"])) for a in e.get("args", [])],
            }
            for e in spec["events"]
        },
        "lang_error": type_of(spec.get("lang_error")),
        "environment": {k: type_of(v) if isinstance(v, dict) and "type" in v else v
                        for k, v in spec.get("environment", {}).items()},
        "storage": layout(metadata["storage"], types),
    }


def paths(metadata):
    """Rust paths of the named types, keyed by shape: for the informational list of moved types."""
    types = Types(metadata)
    out = {}
    for type_id, ty in types.types.items():
        if ty.get("path"):
            out.setdefault(types.shape(type_id), set()).add(types.path(type_id))
    return out


def renamed_variants(name, before, after):
    """Variants renamed (same index, same fields) in the named types both files have, as printable lines."""
    a, b = Types(before), Types(after)
    by_path = {}
    for types in (a, b):
        for type_id, ty in types.types.items():
            if "variant" in ty["def"] and ty.get("path"):
                by_path.setdefault(ty["path"][-1], []).append((types, type_id))
    out = set()
    for label, found in by_path.items():
        olds = [(t, i) for t, i in found if t is a]
        news = [(t, i) for t, i in found if t is b]
        for (_, old), (_, new) in ((o, n) for o in olds for n in news):
            vo = {v["index"]: v["name"] for v in a.types[old]["def"]["variant"].get("variants", [])}
            vn = {v["index"]: v["name"] for v in b.types[new]["def"]["variant"].get("variants", [])}
            if vo.keys() == vn.keys() and Types(before, False).shape(old) == Types(after, False).shape(new):
                out.update(f"{name}: {label} variant {i}: {vo[i]} -> {vn[i]}" for i in vo if vo[i] != vn[i])
    return sorted(out)


def compare(name, before, after, names=True):
    """Differences between two contracts' interfaces, as printable lines."""
    a, b = interface(before, names), interface(after, names)
    lines = []
    for section in ("constructors", "messages", "events"):
        for label in sorted(set(a[section]) | set(b[section])):
            if label not in b[section]:
                lines.append(f"{name}: {section[:-1]} {label} removed")
            elif label not in a[section]:
                lines.append(f"{name}: {section[:-1]} {label} added")
            else:
                for key in a[section][label]:
                    if a[section][label][key] != b[section][label][key]:
                        lines.append(
                            f"{name}: {section[:-1]} {label}: {key} changed\n"
                            f"    before: {a[section][label][key]}\n    after:  {b[section][label][key]}"
                        )
    for key in ("lang_error", "environment", "storage"):
        if a[key] != b[key]:
            lines.append(f"{name}: {key} changed")
            if key == "storage":
                lines.extend(storage_diff(a[key], b[key], f"{name}: storage"))
    return lines


def storage_diff(a, b, where):
    if type(a) is not type(b):
        return [f"{where}: {a!r} -> {b!r}"]
    if isinstance(a, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out.extend(storage_diff(a.get(key), b.get(key), f"{where}.{key}"))
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} entries -> {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(storage_diff(x, y, f"{where}[{i}]"))
        return out
    return [] if a == b else [f"{where}: {a!r} -> {b!r}"]


def moved(name, before, after):
    a, b = paths(before), paths(after)
    out = []
    for shape in sorted(set(a) & set(b)):
        if a[shape] != b[shape]:
            out.append(f"{name}: {', '.join(sorted(a[shape]))} -> {', '.join(sorted(b[shape]))}")
    return out


def metadata_files(path):
    """{contract name: metadata path} for a file or a folder."""
    if os.path.isfile(path):
        return {os.path.splitext(os.path.basename(path))[0]: path}
    found = {}
    for entry in sorted(os.listdir(path)):
        nested = os.path.join(path, entry, entry + ".json")
        flat = os.path.join(path, entry)
        if os.path.isfile(nested):
            found[entry] = nested
        elif entry.endswith(".json") and os.path.isfile(flat):
            try:
                if "spec" in load(flat) and "storage" in load(flat):
                    found[entry[:-5]] = flat
            except (ValueError, KeyError):
                pass
    return found


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    before, after = metadata_files(argv[1]), metadata_files(argv[2])
    if not before or not after:
        print(f"error: no contract metadata found in {argv[1] if not before else argv[2]}", file=sys.stderr)
        return 2
    if os.path.isfile(argv[1]) and os.path.isfile(argv[2]):
        after = {name: path for name, path in zip(before, after.values())}
    differences, moves, renames = [], [], []
    for name in sorted(set(before) | set(after)):
        if name not in after or name not in before:
            differences.append(f"{name}: only in {'before' if name in before else 'after'}")
            continue
        b, a = load(before[name]), load(after[name])
        differences.extend(compare(name, b, a, names=False))
        renames.extend(renamed_variants(name, b, a))
        moves.extend(moved(name, b, a))
        counts = interface(a)
        print(f"{name}: {len(counts['messages'])} messages, {len(counts['events'])} events compared")
    for line in moves:
        print(f"moved (no change on chain): {line}")
    for line in renames:
        print(f"renamed (same index and fields: no change on the wire): {line}")
    for line in differences:
        print(line)
    if differences:
        print(f"{len(differences)} interface differences")
        return 1
    print(
        "same on-chain interface: storage layout, selectors, message and event types by encoding, event signatures"
        + (f" ({len(renames)} variants renamed)" if renames else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
