#!/usr/bin/env python3
"""Verify a MeshFlow evidence bundle (meshflow-evidence/1) offline, with Python's standard library alone.

    python3 verify_bundle.py bundle.json [--public-key FILE]...

Prints "valid: N records (...)" and exits 0, or "invalid: record SEQ: REASON (DETAIL)" and exits 1; a file it cannot
read as a bundle is "error: ..." on stderr and exit 2. Without --public-key the head is checked against the keys in
the bundle, which whoever made the file could have replaced: pin the service's key (GET /ledger/keys) to rule that
out. A key file holds the base64 of the raw 32-byte Ed25519 key, or a PEM "BEGIN PUBLIC KEY" block.

It follows docs/evidence.md rule for rule, and reaches the verdict, reason, sequence number and detail that
MeshFlow's own verifier (MeshFlow.Ledger.Evidence.EvidenceBundles.Verify) reaches.
"""

import base64
import datetime
import hashlib
import json
import math
import re
import sys

FORMAT = "meshflow-evidence/1"
MAX_DEPTH = 64

# ---------------------------------------------------------------------------------------------------------------
# Ed25519 signature verification (RFC 8032, section 5.1.7), as strict as libsodium's crypto_sign_verify_detached:
# S must be below L, A must be a canonical encoding of a point that is not of small order, R must not be of small
# order, and [S]B - [k]A must encode to exactly R's 32 bytes.

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)
IDENTITY = (0, 1, 1, 0)


def _add(p, q):
    """Point addition in extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, x*y = T/Z (RFC 8032, 5.1.4)."""
    x1, y1, z1, t1 = p
    x2, y2, z2, t2 = q
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * t1 * t2 * D % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _multiply(scalar, point):
    result = IDENTITY
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _negate(point):
    x, y, z, t = point
    return (-x % P, y, z, -t % P)


def _encode(point):
    x, y, z, _ = point
    z_inverse = pow(z, P - 2, P)
    x, y = x * z_inverse % P, y * z_inverse % P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def _decode(encoded):
    """The point a 32-byte string encodes, or None (RFC 8032, 5.1.3; y must be below p)."""
    y = int.from_bytes(encoded, "little")
    sign, y = y >> 255, y & (2**255 - 1)
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P or (x == 0 and sign):
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


def _small_order(point):
    x, y, z, _ = _multiply(8, point)
    return x % P == 0 and (y - z) % P == 0


B = _decode((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))  # y = 4/5, x even


def ed25519_verify(public_key, message, signature):
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r = _decode(public_key), _decode(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or s >= L or _small_order(a) or (r is not None and _small_order(r)):
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % L
    return _encode(_add(_multiply(s, B), _multiply(k, _negate(a)))) == signature[:32]


# ---------------------------------------------------------------------------------------------------------------
# Reading a bundle: the JSON rules, then every field the verification relies on, in the order docs/evidence.md lists.


class BundleError(Exception):
    """The file is not a bundle this verifier reads (exit 2)."""


def _not_a_bundle(why):
    return BundleError("not a MeshFlow evidence bundle: " + why)


def _invalid(path, problem):
    return BundleError(f"invalid evidence bundle: {path} {problem}")


class _LongNumber:
    """An integer literal too long to be any integer the format allows (and too long for int() to read)."""


def _is_int(value):
    return type(value) is int and -(2**63) <= value < 2**63


_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def _is_base64(text):
    return _BASE64.fullmatch(text) is not None


def _check_well_formed(value, depth=0):
    """Strings (names too) are well-formed Unicode, and containers nest at most MAX_DEPTH deep."""
    if isinstance(value, (dict, list)):
        if depth + 1 > MAX_DEPTH:
            raise _not_a_bundle(f"it is not JSON (nested deeper than {MAX_DEPTH})")
        for item in value.items() if isinstance(value, dict) else value:
            if isinstance(value, dict):
                _check_well_formed(item[0], depth + 1)
                item = item[1]
            _check_well_formed(item, depth + 1)
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _not_a_bundle("a JSON string is not well-formed Unicode") from None


def load(data):
    """Parses a bundle file's bytes, checks it and answers it as a dict."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_a_bundle("it is not UTF-8 text") from None

    def unique(pairs):
        obj = {}
        for name, value in pairs:
            if name in obj:
                raise _not_a_bundle(f"a JSON object has the field '{name}' twice")
            obj[name] = value
        return obj

    def constant(name):
        raise ValueError(f"{name} is not a JSON value")

    try:
        root = json.loads(text, object_pairs_hook=unique, parse_constant=constant,
                          parse_int=lambda s: int(s) if len(s) <= 40 else _LongNumber())
    except (ValueError, RecursionError) as e:
        raise _not_a_bundle(f"it is not JSON ({e})") from None
    _check_well_formed(root)
    return check(root)


def _required(parent, name, path):
    if name not in parent:
        raise _invalid(path, "is missing")
    return parent[name]


def _string(parent, name, path):
    value = _required(parent, name, path)
    if type(value) is not str:
        raise _invalid(path, "must be a string")
    return value


def _integer(parent, name, path):
    value = _required(parent, name, path)
    if not _is_int(value):
        raise _invalid(path, "must be an integer")
    return value


def check(root):
    if type(root) is not dict:
        raise _not_a_bundle("it is not a JSON object")
    if "format" not in root:
        raise _not_a_bundle('it has no "format" field')
    fmt = root["format"]
    if type(fmt) is not str:
        raise _not_a_bundle("its format is not a string")
    if not fmt.startswith("meshflow-evidence/"):
        raise _not_a_bundle(f'its format is "{fmt}"')
    if fmt != FORMAT:
        raise BundleError(f'unsupported evidence bundle format "{fmt}": this verifier reads {FORMAT}')
    for name in ("tenant_id", "run_id", "exported_at", "payloads"):
        _string(root, name, name)
    if root["payloads"] not in ("included", "hashes_only"):
        raise _invalid("payloads", 'must be "included" or "hashes_only"')
    included = root["payloads"] == "included"
    records = _required(root, "records", "records")
    if type(records) is not list:
        raise _invalid("records", "must be an array")
    for i, record in enumerate(records):
        path = f"records[{i}]"
        if type(record) is not dict:
            raise _invalid(path, "must be an object")
        header = _required(record, "header", path + ".header")
        if type(header) is not dict:
            raise _invalid(path + ".header", "must be an object")
        _integer(header, "seq", path + ".header.seq")
        for name in ("tenant_id", "run_id", "prev_hash", "payload_hash"):
            _string(header, name, f"{path}.header.{name}")
        _string(record, "entry_hash", path + ".entry_hash")
        payload = _required(record, "payload", path + ".payload")
        if included and type(payload) is not str:
            raise _invalid(path + ".payload", 'must be a string (payloads are "included")')
        if not included and payload is not None:
            raise _invalid(path + ".payload", 'must be null (payloads are "hashes_only")')
        if type(_required(record, "redacted", path + ".redacted")) is not bool:
            raise _invalid(path + ".redacted", "must be true or false")
    head = _required(root, "head", "head")
    if head is not None:
        if type(head) is not dict:
            raise _invalid("head", "must be an object or null")
        _string(head, "tenant_id", "head.tenant_id")
        _string(head, "run_id", "head.run_id")
        if _integer(head, "seq", "head.seq") < 1:
            raise _invalid("head.seq", "must be a positive integer")
        _string(head, "entry_hash", "head.entry_hash")
        if not _timestamp(_string(head, "signed_at", "head.signed_at")):
            raise _invalid("head.signed_at", "must be a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ")
        _string(head, "key_id", "head.key_id")
        if not _is_base64(_string(head, "signature", "head.signature")):
            raise _invalid("head.signature", "must be base64")
    keys = _required(root, "public_keys", "public_keys")
    if type(keys) is not dict:
        raise _invalid("public_keys", "must be an object")
    for key_id, key in keys.items():
        if type(key) is not str or not _is_base64(key):
            raise _invalid(f'public_keys["{key_id}"]', "must be base64")
    return root


# ---------------------------------------------------------------------------------------------------------------
# The header: it must be exactly the canonical header of a record, field by field (docs/evidence.md, "The header").

FORMAT_1_KEYS = ("agent_id", "block_reason", "cost_usd", "duration_us", "format_version", "kind", "node_id",
                 "payload_hash", "prev_hash", "run_id", "seq", "signing_key_id", "step_id", "tenant_id",
                 "tokens_estimated", "tokens_input", "tokens_output", "ts", "uncertainty", "verdict")
FORMAT_2_KEYS = ("agent_did",) + FORMAT_1_KEYS

_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
_TIMESTAMP = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3})Z")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?(E[+-][0-9]+)?")


def _canonical_decimal(text):
    """A .NET decimal as the ledger writes it: no leading or trailing zeros, never -0, exactly representable."""
    if len(text) > 60 or not _DECIMAL.fullmatch(text) or text == "-0":
        return False
    digits = text.lstrip("-")
    return len(digits.partition(".")[2]) <= 28 and int(digits.replace(".", "")) <= 2**96 - 1


def _timestamp(text):
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        return False
    try:
        datetime.datetime(*(int(part) for part in match.groups()[:6]))
        return True
    except ValueError:
        return False


def net_round_trip(x):
    """What .NET (Core 3.0 and later) double.ToString("R", InvariantCulture) writes for a finite double: the
    shortest digits that read back as x (as repr finds them), plain from 1E-05 up to 1E+17, else d.dddE+XX."""
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    scale = int(exponent or 0) - len(fraction) + len(digits) - len(digits.rstrip("0"))
    digits = digits.rstrip("0")
    e = scale + len(digits) - 1  # x = d.ddd * 10^e
    if -5 < e < 17:
        if scale >= 0:
            text = digits + "0" * scale
        elif e >= 0:
            text = digits[:e + 1] + "." + digits[e + 1:]
        else:
            text = "0." + "0" * (-e - 1) + digits
    else:
        text = digits[0] + ("." + digits[1:] if len(digits) > 1 else "") + "E" + ("-" if e < 0 else "+") + f"{abs(e):02d}"
    return ("-" if x < 0 else "") + text


def _round_trip_double(text):
    if text in ("NaN", "Infinity", "-Infinity"):
        return True
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        return False
    x = float(text)
    return math.isfinite(x) and net_round_trip(x) == text


def _field_rule(name, value):
    """What a header field must be, when it is not that; None when it is."""
    if name in ("agent_did", "agent_id", "block_reason", "node_id", "step_id", "verdict"):
        return None if value is None or type(value) is str else "a string or null"
    if name in ("kind", "payload_hash", "prev_hash", "run_id", "signing_key_id", "tenant_id"):
        return None if type(value) is str else "a string"
    if name == "cost_usd":
        return None if type(value) is str and _canonical_decimal(value) else "a decimal string in canonical form"
    if name == "duration_us":
        return None if _is_int(value) and -(2**50) <= value <= 2**50 else "an integer from -2^50 to 2^50"
    if name in ("seq", "tokens_input", "tokens_output"):
        return None if _is_int(value) and abs(value) <= 2**53 - 1 else "an integer from -(2^53-1) to 2^53-1"
    if name == "tokens_estimated":
        return None if type(value) is bool else "true or false"
    if name == "ts":
        return None if type(value) is str and _timestamp(value) else "a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ"
    if name == "uncertainty":
        return None if value is None or (type(value) is str and _round_trip_double(value)) \
            else "null or a number string in .NET round-trip form"
    return None  # format_version, checked first


def header_problem(header, seq):
    version = header.get("format_version")
    if not _is_int(version):
        return f"record {seq}'s header has no integer format_version"
    if version not in (1, 2):
        return f"record {seq} has format version {version}, which has no known header"
    if version == 1 and "agent_did" in header:
        return f"record {seq} is format 1 but carries an agent_did its header does not cover"
    keys = FORMAT_1_KEYS if version == 1 else FORMAT_2_KEYS
    for name in keys:
        if name not in header:
            return f"record {seq}'s header lacks {name}"
    for name in header:
        if name not in keys:
            return f"record {seq}'s header has an unexpected field '{name}'"
    for name in keys:
        expected = _field_rule(name, header[name])
        if expected:
            return f"record {seq}'s header field {name} is not {expected}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# The chain: the same checks, in the same order, as MeshFlow's LedgerVerifier.


def canonical(obj):
    """RFC 8785 for what the format hashes and signs: ASCII keys, strings, integers, booleans and null."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def key_id_of(public_key):
    return "ed25519:" + sha256(public_key)[:16]


def verify(bundle, trusted_keys=None):
    """Answers (True, summary) or (False, summary): summary is the line to print."""
    tenant, run = bundle["tenant_id"], bundle["run_id"]
    records = sorted(bundle["records"], key=lambda r: r["header"]["seq"])

    def bad(seq, reason, detail):
        return False, (f"invalid: record {seq}: " if seq is not None else "invalid: ") + f"{reason} ({detail})"

    if not records:
        return bad(None, "empty", f"run '{run}' has no records")
    redacted = []
    expected_prev = sha256(f"meshflow-ledger-genesis/v1\n{tenant}\n{run}\n".encode("utf-8"))
    for i, record in enumerate(records):
        header = record["header"]
        seq = header["seq"]
        if seq != i + 1:
            if seq < i + 1:
                return bad(seq, "duplicate", f"sequence number {seq} appears more than once")
            return bad(i + 1, "gap", f"sequence number {i + 1} is missing (the next record is {seq})")
        if header["tenant_id"] != tenant or header["run_id"] != run:
            return bad(seq, "wrong_run", f"record {seq} belongs to another run")
        if record["redacted"]:
            redacted.append(seq)
        elif record["payload"] is not None and sha256(record["payload"].encode("utf-8")) != header["payload_hash"]:
            return bad(seq, "payload_mismatch", f"record {seq}'s payload does not match its payload_hash")
        problem = header_problem(header, seq)
        if problem is None and sha256(canonical(header)) != record["entry_hash"]:
            problem = f"record {seq}'s entry_hash is not the hash of its header"
        if problem:
            return bad(seq, "hash_mismatch", problem)
        if header["prev_hash"] != expected_prev:
            return bad(seq, "broken_link", "record 1 does not start from the run's genesis hash" if seq == 1
                       else f"record {seq}'s prev_hash is not record {seq - 1}'s entry_hash")
        expected_prev = record["entry_hash"]

    last = len(records)
    ended = records[-1]["header"]["kind"] == "run_end"
    head = bundle["head"]
    parts = []
    if head is None:
        if ended:
            return bad(last, "missing_head_signature", "the run ended but its head is not signed")
        parts.append("no signed head: the run has not ended")
    else:
        signed = head["seq"]
        if signed > last:
            return bad(last + 1, "truncated_tail",
                       f"the signed head covers {signed} records but only {last} remain: the tail was cut off")
        if head["tenant_id"] != tenant or head["run_id"] != run or head["entry_hash"] != records[signed - 1]["entry_hash"]:
            return bad(signed, "head_mismatch", f"the signed head does not match record {signed}")
        keys = trusted_keys if trusted_keys is not None else \
            {key_id: base64.b64decode(key) for key_id, key in bundle["public_keys"].items()}
        if head["key_id"] not in keys:
            return bad(signed, "bad_head_signature", f"the head is signed with unknown key '{head['key_id']}'")
        message = canonical({name: head[name] for name in ("entry_hash", "key_id", "run_id", "seq", "signed_at", "tenant_id")})
        if not ed25519_verify(keys[head["key_id"]], message, base64.b64decode(head["signature"])):
            return bad(signed, "bad_head_signature", "the head's signature does not verify")
        if signed < last and ended:
            return bad(signed + 1, "unsigned_tail", f"records {signed + 1} to {last} come after the signed head of an ended run")
        parts.append(f"head signed at seq {signed} by {head['key_id']}, "
                     + ("key from the bundle, not pinned" if trusted_keys is None else "pinned key"))
        if signed < last:
            parts.append(f"records after seq {signed} not yet signed")
    parts.append("payloads checked" if bundle["payloads"] == "included" else "payloads not included, not checked")
    if redacted:
        parts.append("redacted: " + ", ".join(str(seq) for seq in redacted))
    return True, f"valid: {last} record{'' if last == 1 else 's'} ({'; '.join(parts)})"


# ---------------------------------------------------------------------------------------------------------------


_SPKI_ED25519 = bytes.fromhex("302a300506032b6570032100")  # SubjectPublicKeyInfo of an Ed25519 key, before the key


def load_public_key(text):
    """A key file: the base64 of the raw 32-byte key, or a PEM "BEGIN PUBLIC KEY" block. Answers (key id, key)."""
    text = text.strip()
    if text.startswith("-----BEGIN PUBLIC KEY-----"):
        body = "".join(line.strip() for line in text.splitlines()[1:] if not line.startswith("-----"))
        der = base64.b64decode(body) if _is_base64(body) else b""
        if len(der) != 44 or not der.startswith(_SPKI_ED25519):
            raise BundleError("the PEM public key is not an Ed25519 key (SubjectPublicKeyInfo)")
        key = der[12:]
    else:
        if not _is_base64(text):
            raise BundleError("a public key file holds the base64 of the raw 32-byte Ed25519 key, "
                              "or a PEM -----BEGIN PUBLIC KEY----- block")
        key = base64.b64decode(text)
        if len(key) != 32:
            raise BundleError(f"an Ed25519 public key is 32 bytes, not {len(key)}")
    return key_id_of(key), key


def main(argv):
    for stream in (sys.stdout, sys.stderr):  # a detail quoting a run id must never fail to print
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    usage = "usage: verify_bundle.py BUNDLE.json [--public-key FILE]..."
    path, key_files, args = None, [], list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--public-key" and args:
            key_files.append(args.pop(0))
        elif arg.startswith("--public-key="):
            key_files.append(arg.partition("=")[2])
        elif arg in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif path is None and not arg.startswith("--"):
            path = arg
        else:
            print(usage, file=sys.stderr)
            return 2
    if path is None:
        print(usage, file=sys.stderr)
        return 2
    try:
        trusted = None
        if key_files:
            trusted = {}
            for key_file in key_files:
                with open(key_file, encoding="utf-8") as f:
                    key_id, key = load_public_key(f.read())
                trusted[key_id] = key
        with open(path, "rb") as f:
            bundle = load(f.read())
    except (BundleError, OSError, UnicodeDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    ok, summary = verify(bundle, trusted)
    print(summary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
