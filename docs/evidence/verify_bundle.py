#!/usr/bin/env python3
"""Verify a MeshFlow evidence bundle (meshflow-evidence/1) offline, with Python's standard library alone.

Exit 0 "valid: ...", 1 "invalid: ...", 2 "error: ..." (not a bundle, or a bad key file). Without --public-key the head
is checked against the bundle's own keys, which whoever made the file could have replaced: pin the service's key (the
base64 that GET /ledger/keys answers). docs/evidence.md explains each step.
"""
import argparse, base64, hashlib, json, re, sys

# Ed25519 (RFC 8032, 5.1): points in extended coordinates (X, Y, Z, T), where x = X/Z, y = Y/Z and x*y = T/Z.
P, L = 2**255 - 19, 2**252 + 27742317777372353535851937790883648493  # the field prime; the base point's order
D, IDENTITY = -121665 * pow(121666, -1, P) % P, (0, 1, 1, 0)

def add(p, q):  # the group law (5.1.4)
    a, b = (p[1] - p[0]) * (q[1] - q[0]) % P, (p[1] + p[0]) * (q[1] + q[0]) % P
    c, d = 2 * p[3] * q[3] * D % P, 2 * p[2] * q[2] % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % P, g * h % P, f * g % P, e * h % P

def mul(s, p):  # [s]p, by double-and-add
    q = IDENTITY
    while s:
        q, p, s = add(q, p) if s & 1 else q, add(p, p), s >> 1
    return q

def encode(p):  # 5.1.2: y, with the low bit of x as the top bit
    z = pow(p[2], -1, P)
    return (p[1] * z % P | (p[0] * z % P & 1) << 255).to_bytes(32, "little")

def decode(b):  # 5.1.3: the point b encodes, or None (also for a non-canonical y >= p)
    y, sign = int.from_bytes(b, "little") & (2**255 - 1), b[31] >> 7
    x2 = (y * y - 1) * pow(D * y * y + 1, -1, P) % P
    x = pow(x2, (P + 3) // 8, P)
    x = x if (x * x - x2) % P == 0 else x * pow(2, (P - 1) // 4, P) % P
    if y >= P or (x * x - x2) % P or (x == 0 and sign):
        return None
    x = P - x if x & 1 != sign else x
    return x, y, 1, x * y % P

B = decode((4 * pow(5, -1, P) % P).to_bytes(32, "little"))  # the base point: y = 4/5, x even

def ed25519_verify(public_key, message, signature):
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r, s = decode(public_key), decode(signature[:32]), int.from_bytes(signature[32:], "little")
    small = lambda p: encode(mul(8, p)) == encode(IDENTITY)  # refused, as libsodium (and so MeshFlow) refuses them
    if a is None or r is None or s >= L or small(a) or small(r):
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % L
    return encode(mul(s, B)) == encode(add(r, mul(k, a)))  # [S]B == R + [k]A

class BundleError(Exception):
    """Not a bundle (or a key file) this verifier reads: exit 2."""

def canonical(obj):  # RFC 8785 for what the format hashes: ASCII keys; strings, integers, booleans and null
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

def sha256(data):
    return hashlib.sha256(data).hexdigest()

def b64(text, what):
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise BundleError(f"{what} is not base64") from None

def strict_json(text, **hooks):  # as System.Text.Json reads it: NaN and Infinity are not JSON
    return json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(f"{c} is not JSON")), **hooks)

def key_id_of(key):
    return "ed25519:" + sha256(key)[:16]

def escape(text):  # a bundle's strings are printed with their control characters escaped, so the verdict stays one line
    return re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m[0]):04x}", text)

def require(obj, path, **kinds):  # each field is there with its type (or one of a tuple); no boolean is an integer
    for name, kind in kinds.items():
        if type(obj.get(name, ...) if isinstance(obj, dict) else ...) not in (kind if isinstance(kind, tuple) else (kind,)):
            raise BundleError(f"invalid evidence bundle: {path}{name} is missing or of the wrong type")

def load(data):
    def unique(pairs):  # a field named twice could show a reader one value and the hash another
        if len({name for name, _ in pairs}) < len(pairs):
            raise BundleError("not a MeshFlow evidence bundle: a JSON object has a field twice")
        return dict(pairs)
    try:
        bundle = strict_json(data.decode("utf-8-sig"), object_pairs_hook=unique)
        canonical(bundle)  # fails on a string that is not well-formed Unicode (a lone surrogate)
    except (ValueError, RecursionError) as e:
        raise BundleError(f"not a MeshFlow evidence bundle: it is not JSON ({e})") from None
    fmt = bundle.get("format") if isinstance(bundle, dict) else None
    if fmt != "meshflow-evidence/1":
        raise BundleError(f'unsupported evidence bundle format "{fmt}": this verifier reads meshflow-evidence/1'
                          if str(fmt).startswith("meshflow-evidence/") else "not a MeshFlow evidence bundle: its format is not meshflow-evidence")
    require(bundle, "", tenant_id=str, run_id=str, exported_at=str, payloads=str, records=list, head=(dict, type(None)), public_keys=dict)
    for k, v in bundle["public_keys"].items():  # read whether or not a head uses them, as MeshFlow's reader does
        b64(v if type(v) is str else "?", f'invalid evidence bundle: public_keys["{k}"]')
    if bundle["payloads"] not in ("included", "hashes_only"):
        raise BundleError('invalid evidence bundle: payloads must be "included" or "hashes_only"')
    for i, record in enumerate(bundle["records"]):  # a hashes-only bundle has no payload, any other one every payload
        require(record, f"records[{i}].", header=dict, entry_hash=str, redacted=bool,
                payload=type(None) if bundle["payloads"] == "hashes_only" else str)
        require(record["header"], f"records[{i}].header.", seq=int, tenant_id=str, run_id=str, prev_hash=str, payload_hash=str)
    if bundle["head"] is not None:
        require(bundle["head"], "head.", tenant_id=str, run_id=str, seq=int, entry_hash=str, signed_at=str, key_id=str, signature=str)
        if bundle["head"]["seq"] < 1:
            raise BundleError("invalid evidence bundle: head.seq must be a positive integer")
        if not re.fullmatch("ed25519:[0-9a-f]{16}", bundle["head"]["key_id"]):
            raise BundleError("invalid evidence bundle: head.key_id must be ed25519: and 16 lowercase hex digits")
    return bundle

# A header as the ledger writes it (LedgerHashing): these fields and types, agent_did in format 2 only.
TEXT, NULLABLE, INTEGER = str, (str, type(None)), int
FIELDS = dict(agent_did=NULLABLE, agent_id=NULLABLE, block_reason=NULLABLE, cost_usd=TEXT, duration_us=INTEGER,
              format_version=INTEGER, kind=TEXT, node_id=NULLABLE, payload_hash=TEXT, prev_hash=TEXT, run_id=TEXT, seq=INTEGER,
              signing_key_id=TEXT, step_id=NULLABLE, tenant_id=TEXT, tokens_estimated=bool, tokens_input=INTEGER,
              tokens_output=INTEGER, ts=TEXT, uncertainty=NULLABLE, verdict=NULLABLE)

def header_problem(h):  # why MeshFlow's verifier would not take h as the header it hashes, as it words it; or None
    seq, version, did = h["seq"], h.get("format_version"), h.get("agent_did")
    for name, kind in sorted(FIELDS.items()):  # a missing nullable field reads as null
        value = h.get(name)
        if (name in h or kind is not NULLABLE) and (type(value) not in (kind if isinstance(kind, tuple) else (kind,))
                                                    or kind is INTEGER and not -(b := 2**(31 if name == "format_version" else 63)) <= value < b):
            return f"record {seq}'s header field {name} cannot be read"
    if version not in (1, 2):
        return f"record {seq} has format version {version}, which has no known header"
    if version == 1 and did is not None:
        return f"record {seq} is format 1 but carries an agent_did its header does not cover"
    if set(h) != set(FIELDS) - ({"agent_did"} if version == 1 else set()):
        return f"record {seq}'s header is not in canonical form"

def is_notice(payload):  # exactly what LedgerPayloads.RedactionNotice writes: {"at":…,"reason":…,"redacted":true}
    try:
        notice = strict_json(payload)
        return (isinstance(notice, dict) and set(notice) == {"at", "reason", "redacted"} and notice["redacted"] is True
                and type(notice["at"]) is str and type(notice["reason"]) is str and canonical(notice).decode() == payload)
    except ValueError:  # not JSON, or a lone surrogate
        return False

def verify(bundle, pinned):
    """(valid, the line to print): what MeshFlow's LedgerVerifier checks, in its order, with its reasons."""
    tenant, run, head = bundle["tenant_id"], bundle["run_id"], bundle["head"]
    records = sorted(bundle["records"], key=lambda r: r["header"]["seq"])
    bad = lambda seq, reason, detail: (False, f"invalid: {'' if seq is None else f'record {seq}: '}{reason} ({escape(detail)})")
    if not records:
        return bad(None, "empty", f"run '{run}' has no records")
    redacted, prev = [], sha256(f"meshflow-ledger-genesis/v1\n{tenant}\n{run}\n".encode())
    for i, record in enumerate(records, 1):
        header, seq = record["header"], record["header"]["seq"]
        if seq != i:
            return bad(seq, "duplicate", f"sequence number {seq} appears more than once") if seq < i else \
                bad(i, "gap", f"sequence number {i} is missing (the next record is {seq})")
        if header["tenant_id"] != tenant or header["run_id"] != run:
            return bad(seq, "wrong_run", f"record {seq} belongs to another run")
        if record["redacted"]:  # an erased payload: its hash stands, but the notice in its place is not what it hashed
            if record["payload"] is not None and not is_notice(record["payload"]):  # the flag itself is covered by no hash
                return bad(seq, "payload_mismatch", f"record {seq} is marked redacted but its payload is not a redaction notice")
            redacted.append(seq)
        elif record["payload"] is not None and sha256(record["payload"].encode()) != header["payload_hash"]:
            return bad(seq, "payload_mismatch", f"record {seq}'s payload does not match its payload_hash")
        if problem := header_problem(header):  # a header written otherwise could hash as given yet not be the ledger's
            return bad(seq, "hash_mismatch", problem)
        if sha256(canonical(header)) != record["entry_hash"]:  # the hash covers every header field, as given
            return bad(seq, "hash_mismatch", f"record {seq}'s entry_hash is not the hash of its header")
        if header["prev_hash"] != prev:
            return bad(seq, "broken_link", "record 1 does not start from the run's genesis hash" if seq == 1
                       else f"record {seq}'s prev_hash is not record {seq - 1}'s entry_hash")
        prev = record["entry_hash"]
    n, ended = len(records), records[-1]["header"].get("kind") == "run_end"
    if head is None:  # a run that neither ended nor paused has no head yet
        if ended:
            return bad(n, "missing_head_signature", "the run ended but its head is not signed")
        parts = ["no signed head: the run has not ended"]
    else:
        h, key_id = head["seq"], head["key_id"]
        keys = pinned or {k: b64(v, f'invalid evidence bundle: public_keys["{k}"]') for k, v in bundle["public_keys"].items()}
        if h > n:
            return bad(n + 1, "truncated_tail", f"the signed head covers {h} records but only {n} remain: the tail was cut off")
        if head["tenant_id"] != tenant or head["run_id"] != run or head["entry_hash"] != records[h - 1]["entry_hash"]:
            return bad(h, "head_mismatch", f"the signed head does not match record {h}")
        if key_id not in keys:
            return bad(h, "bad_head_signature", f"the head is signed with unknown key '{key_id}'")
        if key_id_of(keys[key_id]) != key_id:  # else a forger's key could pass under the real key's id
            return bad(h, "bad_head_signature", "the bundle's key does not have the id it is listed under")
        message = canonical({k: head[k] for k in ("entry_hash", "key_id", "run_id", "seq", "signed_at", "tenant_id")})
        if not ed25519_verify(keys[key_id], message, b64(head["signature"], "invalid evidence bundle: head.signature")):
            return bad(h, "bad_head_signature", "the head's signature does not verify")
        if h < n and ended:  # a paused run goes on after its head; an ended one does not
            return bad(h + 1, "unsigned_tail", f"records {h + 1} to {n} come after the signed head of an ended run")
        parts = [f"head signed at seq {h} by {key_id}, " + ("pinned key" if pinned else "key from the bundle, not pinned")]
        parts += [f"records after seq {h} not yet signed"] if h < n else []
    parts.append("payloads not included, not checked" if bundle["payloads"] == "hashes_only" else "payloads checked")
    parts += ["redacted: " + ", ".join(map(str, redacted))] if redacted else []
    return True, f"valid: {n} record{'' if n == 1 else 's'} ({'; '.join(parts)})"

def load_key(path):  # a key file holds the base64 of the raw 32-byte key
    key = b64(open(path, encoding="utf-8").read().strip(), path)
    if len(key) != 32:
        raise BundleError(f"{path} holds no Ed25519 public key (the base64 of its 32 bytes)")
    return key_id_of(key), key

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle")
    parser.add_argument("--public-key", action="append", default=[], metavar="FILE", help="a pinned key file (repeatable)")
    args = parser.parse_args()
    try:
        with open(args.bundle, "rb") as f:
            valid, line = verify(load(f.read()), dict(load_key(path) for path in args.public_key))
    except (BundleError, OSError, UnicodeDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    print(line)
    sys.exit(0 if valid else 1)
