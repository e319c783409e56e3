#!/usr/bin/env python3
"""Deploys the healthchain contracts onto a node and writes deployments/<network>.json.

Run it through scripts/deploy.sh. Standard library only; every chain operation goes through cargo-contract 5.0.3 and
the node's JSON-RPC.

Order and wiring: the council first (members, threshold, delay: --council, --threshold, --delay-ms); it is the
admin of the five, whose constructors take it first, then the addresses of the contracts they ask:
  council(members, threshold, delay_ms)  participants(council)  consent(council, participants)
  records(council, participants, consent)  claims(council, participants, records, consent)
  custody(council, participants, records)
The first issuer (--issuer) is appointed through the council: the deployer proposes the call and, when it governs
alone (the default council), executes it; otherwise the proposal waits for the other members' approvals.

Re-running with an existing manifest checks every entry against the chain (the contract exists, runs the code the
manifest names, and is wired to the manifest's addresses) and skips it; a contract is deployed anew only when it is
missing, and then every contract that depends on it is deployed anew too, so the wiring stays whole. A run that
finds everything in place changes nothing, not even the manifest.
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CARGO_CONTRACT_VERSION = "5.0.3"

# (contract, the contracts it calls: its constructor takes them in this order after the council, and its `dependency`
# getter answers them). The council governs the others and calls none.
CONTRACTS = [
    ("council", []),
    ("participants", []),
    ("consent", ["participants"]),
    ("records", ["participants", "consent"]),
    ("claims", ["participants", "records", "consent"]),
    ("custody", ["participants", "records"]),
]

# //Alice, the deployer (and the council's one member) on a development chain.
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"

ROLES = ["Provider", "Payer", "Manufacturer", "Distributor", "Pharmacy", "Regulator", "Researcher", "Issuer"]

# Substrings of dispatch errors that mean the signer cannot pay fees or storage deposits.
NO_FUNDS = ("Inability to pay some fees", "StorageDepositNotEnoughFunds", "InsufficientBalance", "BalanceLow",
            "FundsUnavailable", "Insufficient balance", "NotExpendable")


class Failure(Exception):
    """One plain line for the user: what went wrong and how to fix it."""


def say(text):
    print(f"==> {text}", flush=True)


# ---------------------------------------------------------------------------------------------------------------- node

def http_url(url):
    if url.startswith("ws://"):
        return "http://" + url[len("ws://"):]
    if url.startswith("wss://"):
        return "https://" + url[len("wss://"):]
    return url


def rpc(url, method, params=None):
    body = json.dumps({"id": 1, "jsonrpc": "2.0", "method": method, "params": params or []}).encode()
    request = urllib.request.Request(http_url(url), data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            answer = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Failure(f"node unreachable at {url} ({error}): start one (e.g. 'substrate-contracts-node --dev', "
                      f"installed by scripts/install-node.sh) or pass its URL with --url") from None
    if "error" in answer:
        raise Failure(f"the node at {url} refused {method}: {answer['error'].get('message', answer['error'])}")
    return answer.get("result")


def head(url):
    block_hash = rpc(url, "chain_getBlockHash")
    header = rpc(url, "chain_getHeader", [block_hash])
    return {"number": int(header["number"], 16), "hash": block_hash}


# ------------------------------------------------------------------------------------------------------ cargo-contract

def cargo_contract(args, what):
    """Runs `cargo contract ARGS`; returns (ok, stdout, stderr)."""
    try:
        done = subprocess.run(["cargo", "contract", *args], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        raise Failure("cargo not found: install Rust with rustup, then re-run") from None
    if done.returncode != 0:
        text = (done.stderr + done.stdout).strip()
        if any(marker in text for marker in NO_FUNDS):
            raise Failure(f"the signer cannot pay for {what} (fees and storage deposits): fund its account "
                          f"(HEALTHCHAIN_SURI, default //Alice on a dev chain) and re-run")
    return done.returncode == 0, done.stdout, done.stderr


def ensure_cargo_contract():
    try:
        done = subprocess.run(["cargo", "contract", "--version"], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        raise Failure("cargo not found: install Rust with rustup, then re-run") from None
    if done.returncode != 0 or f" {CARGO_CONTRACT_VERSION}" not in done.stdout:
        raise Failure(f"cargo-contract {CARGO_CONTRACT_VERSION} missing: install it with 'cargo install cargo-contract "
                      f"--version {CARGO_CONTRACT_VERSION} --locked' (or run scripts/build.sh, which also builds the contracts)")


def last_json(text):
    """The JSON document cargo-contract printed (it may print progress lines before it)."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON in cargo-contract's output")
    return json.loads(text[start:])


def one_line(text):
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


# --------------------------------------------------------------------------------------------------------- artifacts

def target_dir():
    done = subprocess.run(["cargo", "metadata", "--no-deps", "--format-version", "1", "--locked"], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise Failure(f"cargo metadata failed: {one_line(done.stderr)}")
    return json.loads(done.stdout)["target_directory"]


def artifacts(target):
    """The release builds scripts/build.sh keeps in <target>/release/contracts (never ink_e2e's debug builds)."""
    found = {}
    for name, _ in CONTRACTS:
        bundle = os.path.join(target, "release", "contracts", name, f"{name}.contract")
        metadata = os.path.join(target, "release", "contracts", name, f"{name}.json")
        if not (os.path.isfile(bundle) and os.path.isfile(metadata)):
            raise Failure(f"the release build of {name} is missing ({bundle}): run scripts/build.sh, then re-run")
        with open(metadata) as file:
            code_hash = json.load(file)["source"]["hash"]
        found[name] = {"bundle": bundle, "metadata": metadata, "code_hash": code_hash}
    return found


# ------------------------------------------------------------------------------------------------------------ checks

def on_chain_code_hash(url, address):
    ok, out, _ = cargo_contract(["info", "--contract", address, "--url", url, "--output-json"], "a query")
    if not ok:
        return None
    try:
        return last_json(out)["code_hash"]
    except (ValueError, KeyError):
        return None


def dry_call(url, suri, build, address, message, args=()):
    # The bundle first and --args last: --args takes every value after it.
    command = ["call", build["metadata"], "--contract", address, "--message", message, "--suri", suri, "--url", url,
               "--output-json"]
    if args:
        command += ["--args", *args]
    ok, out, _ = cargo_contract(command, f"reading {message}")
    if not ok:
        return None
    try:
        return last_json(out)
    except ValueError:
        return None


def wired(url, suri, name, builds, entry, addresses):
    """True when the contract's `dependency` getter answers the addresses it should be wired to, and its admin is the
    council."""
    if name != "council":
        answer = dry_call(url, suri, builds[name], entry["address"], "admin")
        if answer is None or answer.get("reverted") or addresses["council"] not in json.dumps(answer.get("data")):
            return False
    for dependency in dict(CONTRACTS)[name]:
        answer = dry_call(url, suri, builds[name], entry["address"], "dependency", [dependency.capitalize()])
        if answer is None or answer.get("reverted") or addresses[dependency] not in json.dumps(answer.get("data")):
            return False
    return True


# ------------------------------------------------------------------------------------------------------------ deploy

def upload(url, suri, name, build):
    ok, out, err = cargo_contract(["upload", "--suri", suri, "--url", url, "-x", "-y", "--output-json", build["bundle"]],
                                  f"uploading {name}")
    if ok:
        say(f"{name}: code uploaded ({build['code_hash']})")
    elif "already been uploaded" in err + out:
        say(f"{name}: code already on chain ({build['code_hash']})")
    else:
        raise Failure(f"uploading {name} failed: {one_line(err or out)}")


def instantiate(url, suri, name, build, args):
    # The metadata (not the bundle): cargo-contract then instantiates the uploaded code by its hash.
    command = ["instantiate", build["metadata"], "--suri", suri, "--url", url, "-x", "-y", "--output-json",
               "--salt", "0x" + secrets.token_hex(8)]
    if args:
        command += ["--args", *args]
    ok, out, err = cargo_contract(command, f"instantiating {name}")
    if not ok:
        raise Failure(f"instantiating {name} failed: {one_line(err or out)}")
    try:
        return last_json(out)["contract"]
    except (ValueError, KeyError):
        raise Failure(f"instantiating {name}: cargo-contract printed no contract address ({one_line(out)})") from None


def role_bits(text):
    bits = 0
    for role in filter(None, (part.strip() for part in text.split(","))):
        if role not in ROLES:
            raise Failure(f"unknown role '{role}' in --issuer-roles: choose from {', '.join(ROLES)}")
        bits |= 1 << ROLES.index(role)
    return bits


def issuer_roles(answer):
    """The roles bits of `participants.issuer(..)`'s answer (cargo-contract's JSON of `Ok(Some(Issuer {..}))`), or None."""
    try:
        some = answer["data"]["Tuple"]["values"][0]["Tuple"]
        if some["ident"] != "Some":
            return None
        return some["values"][0]["Map"]["roles"]["Tuple"]["values"][0]["UInt"]
    except (KeyError, IndexError, TypeError):
        return None


def ss58_decode(address):
    """The 32 account bytes of an SS58 address (any network prefix)."""
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number = 0
    for char in address:
        if char not in alphabet:
            raise Failure(f"{address} is not an SS58 address")
        number = number * 58 + alphabet.index(char)
    raw = number.to_bytes(35 if len(address) <= 48 else 36, "big")
    prefix = 1 if raw[0] < 64 else 2
    if len(raw) - prefix - 2 != 32:
        raise Failure(f"{address} is not the SS58 address of a 32-byte account")
    return raw[prefix:prefix + 32]


def selector(message):
    """ink!'s selector of a message: the first 4 bytes of BLAKE2b-256 of its name."""
    return hashlib.blake2b(message.encode(), digest_size=32).digest()[:4]


def council_call(url, suri, builds, council, contract, message, args_hex, what):
    """Proposes (and, when the deployer governs alone, executes) a council call of `message` on `contract`."""
    action = f"Call {{ contract: {contract}, message: 0x{selector(message).hex()}, args: 0x{args_hex} }}"
    ok, out, err = cargo_contract(["call", builds["council"]["metadata"], "--contract", council, "--message", "propose",
                                   "--suri", suri, "--url", url, "-x", "-y", "--output-json", "--args", action],
                                  f"proposing {what}")
    if not ok:
        raise Failure(f"proposing {what} to the council failed: {one_line(err or out)}")
    proposals = dry_call(url, suri, builds["council"], council, "proposals")
    ids = [int(n) for n in re.findall(r'"id":\s*\{"UInt":\s*(\d+)\}', json.dumps(proposals))]
    if not ids:
        raise Failure(f"proposing {what}: the council shows no open proposal")
    proposal = max(ids)
    ok, out, err = cargo_contract(["call", builds["council"]["metadata"], "--contract", council, "--message", "execute",
                                   "--suri", suri, "--url", url, "-x", "-y", "--output-json", "--args", str(proposal)],
                                  f"executing {what}")
    if not ok:
        say(f"{what}: council proposal {proposal} waits for the other members' approvals (council.approve({proposal}), "
            f"then council.execute({proposal}))")
        return False
    say(f"{what}: done through council proposal {proposal}")
    return True


def appoint_issuer(url, suri, builds, addresses, issuer, bits):
    if issuer_roles(dry_call(url, suri, builds["participants"], addresses["participants"], "issuer", [issuer])) == bits:
        say(f"issuer {issuer} already appointed with roles {bits:#06x}: skipped")
        return False
    args = ss58_decode(issuer) + bits.to_bytes(2, "little")
    return council_call(url, suri, builds, addresses["council"], addresses["participants"], "appoint_issuer", args.hex(),
                        f"appointing issuer {issuer} (roles {bits:#06x})")


def council_args(options, suri, url):
    """The council constructor's arguments: members, threshold, delay (ms)."""
    members = [m.strip() for m in (options.council or "").split(",") if m.strip()]
    if not members:
        if suri != "//Alice":
            raise Failure("--council is missing: give the council members' SS58 addresses, comma-separated (the "
                          "deployer's own address if it alone governs)")
        members = [ALICE]
    for member in members:
        ss58_decode(member)
    if not 1 <= options.threshold <= len(members):
        raise Failure(f"--threshold {options.threshold} must be between 1 and the {len(members)} council member(s)")
    return [f"[{', '.join(members)}]", str(options.threshold), str(options.delay_ms)]


def save(path, options, chain, genesis, entries):
    manifest = {
        "network": options.network,
        "url": options.url,
        "chain": chain,
        "genesis_hash": genesis,
        "block": head(options.url),
        "contracts": {name: entries[name] for name, _ in CONTRACTS if name in entries},
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as file:
        json.dump(manifest, file, indent=2)
        file.write("\n")
    os.replace(path + ".tmp", path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("HEALTHCHAIN_URL", "ws://127.0.0.1:9944"))
    parser.add_argument("--network", default=os.environ.get("HEALTHCHAIN_NETWORK", "local"),
                        help="names the manifest deployments/<network>.json (default: local)")
    parser.add_argument("--council", help="comma-separated SS58 addresses of the council members (default on a "
                        "development chain: //Alice alone)")
    parser.add_argument("--threshold", type=int, default=1, help="how many members approve a change (default 1)")
    parser.add_argument("--delay-ms", type=int, default=None,
                        help="the timelock on upgrades, dependencies and admin changes, in ms (default: 0 on a "
                             "development chain, 48 h otherwise)")
    parser.add_argument("--issuer", help="SS58 address to appoint as the first credential issuer")
    parser.add_argument("--issuer-roles", default="Provider,Payer,Manufacturer,Distributor,Pharmacy,Regulator,Researcher",
                        help="comma-separated roles the issuer may attest")
    options = parser.parse_args()

    ensure_cargo_contract()
    chain = rpc(options.url, "system_chain")
    chain_type = rpc(options.url, "system_chainType")
    genesis = rpc(options.url, "chain_getBlockHash", [0])
    suri = os.environ.get("HEALTHCHAIN_SURI")
    if not suri:
        if chain_type not in ("Development", "Local"):
            raise Failure(f"{chain} at {options.url} is a {chain_type} chain: set HEALTHCHAIN_SURI to the deployer's "
                          f"secret URI (//Alice is only the default on development chains)")
        suri = "//Alice"
    say(f"node at {options.url}: {chain} ({chain_type}), genesis {genesis}; signer "
        f"{'//Alice' if suri == '//Alice' else 'from HEALTHCHAIN_SURI'}")

    if options.delay_ms is None:
        options.delay_ms = 0 if chain_type in ("Development", "Local") else 48 * 3600 * 1000
    builds = artifacts(target_dir())
    path = os.path.join(ROOT, "deployments", f"{options.network}.json")
    manifest = None
    if os.path.isfile(path):
        with open(path) as file:
            manifest = json.load(file)
        if manifest.get("genesis_hash") != genesis:
            raise Failure(f"{os.path.relpath(path, ROOT)} belongs to the chain with genesis {manifest.get('genesis_hash')}, "
                          f"not to the node at {options.url} ({genesis}): move it away or choose another --network")
        say(f"checking {os.path.relpath(path, ROOT)} against the chain")

    entries = dict((manifest or {}).get("contracts", {}))
    addresses = {}
    changed = False
    fresh = set()  # contracts deployed anew in this run
    for name, dependencies in CONTRACTS:
        build = builds[name]
        entry = entries.get(name)
        redeploy_reason = None
        if entry is None:
            redeploy_reason = "not in the manifest"
        elif fresh.intersection(dependencies + (["council"] if name != "council" else [])):
            redeploy_reason = "a contract it depends on was deployed anew"
        else:
            code_hash = on_chain_code_hash(options.url, entry["address"])
            if code_hash is None:
                redeploy_reason = f"no contract at {entry['address']} on this chain"
            elif code_hash != entry["code_hash"]:
                raise Failure(f"{name} at {entry['address']} runs code {code_hash}, the manifest says {entry['code_hash']}: "
                              f"the chain was changed outside this script; move the manifest away to deploy afresh")
            elif code_hash != build["code_hash"]:
                raise Failure(f"{name} at {entry['address']} runs code {code_hash} but the build is {build['code_hash']}: "
                              f"upgrade it (a council proposal calling {name}.upgrade) or deploy a fresh suite with another --network")
            elif not wired(options.url, suri, name, builds, entry, {**addresses}):
                raise Failure(f"{name} at {entry['address']} is not wired to the manifest's addresses or council: the "
                              f"council re-wired it on chain; fix it through the council or move the manifest away")
        if redeploy_reason is None:
            addresses[name] = entry["address"]
            say(f"{name}: in place at {entry['address']}, skipped")
            continue
        say(f"{name}: deploying ({redeploy_reason})")
        upload(options.url, suri, name, build)
        if name == "council":
            args = council_args(options, suri, options.url)
        else:
            args = [addresses["council"]] + [addresses[d] for d in dependencies]
        address = instantiate(options.url, suri, name, build, args)
        addresses[name] = address
        fresh.add(name)
        say(f"{name}: instantiated at {address}")
        metadata_dir = os.path.join(ROOT, "deployments", options.network)
        os.makedirs(metadata_dir, exist_ok=True)
        metadata_copy = os.path.join(metadata_dir, f"{name}.json")
        shutil.copyfile(build["metadata"], metadata_copy)
        entries[name] = {"address": address, "code_hash": build["code_hash"],
                         "metadata": os.path.relpath(metadata_copy, ROOT), "block": head(options.url)}
        # Written after every contract, so an interrupted run resumes where it stopped.
        save(path, options, chain, genesis, entries)
        changed = True

    if options.issuer:
        changed |= appoint_issuer(options.url, suri, builds, addresses, options.issuer, role_bits(options.issuer_roles))

    if not changed:
        say(f"nothing to do: {os.path.relpath(path, ROOT)} matches the chain")
        return
    save(path, options, chain, genesis, entries)
    say(f"wrote {os.path.relpath(path, ROOT)}")
    for name, _ in CONTRACTS:
        print(f"  {name:<13} {entries[name]['address']}  {entries[name]['metadata']}")


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("error: interrupted; re-run to finish (the manifest holds what was deployed so far)", file=sys.stderr)
        sys.exit(130)
