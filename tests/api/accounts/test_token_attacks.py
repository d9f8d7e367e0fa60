"""Access-token attacks test_access_tokens.py leaves out (RFC 8725 §2.1, §2.8, §3.1, §3.10): a
`kid` that would steer a naive server to another key, keys the attacker brings in the header
(`jwk`, `jku`, `x5u`), and the HS/RS swap with a real RSA public key as the HMAC secret. The
server has one key and one algorithm and reads no key material from a token: all are refused."""

from __future__ import annotations

import base64
import hmac
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.api.accounts.operations import me
from tests.api.accounts.test_access_tokens import auth_error_codes, b64, claims_for, signed
from tests.support.graphql import GraphQLClient
from tests.support.people import make_person

# A real RSA public key, as a server using RS256 would publish it: the HS/RS swap signs with it.
PUBLIC_PEM = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr+fFepE4tPqHtxZxOBWm
FHW5XXQbs7Ja62GROkxzi+z4kHCssv8kD60k+NstNcyVv69Mz82DLiDi3+PbgTmi
SfpAMeX3cxMeT3IU0/t1xbd2QKDd4q1CX8du8YJ4IILVjp/jcq1ssbtN9m57UMmJ
JatPeB03vKq0uVBUcT0wml4LsL5jy6Hpemhv5GSqKRNOfNYuyjeQK8rHMCHlXsTw
w7byLwRXrVkzlWqA/LqeqrZXfWcjffCQ8qCEmSiG+Wu5Q0QAcffTle2LjS0uPQ9a
q/FRJ92Oz+IewMexBS6shenjzTKT/ixOT0e3WRRWy+1m1yG5ke/pIGDoZYn8ozYW
mQIDAQAB
-----END PUBLIC KEY-----
"""


def _mac(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    head_and_body = f"{b64(header)}.{b64(claims)}"
    signature = hmac.new(key, head_and_body.encode(), "sha256").digest()
    return f"{head_and_body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


# kid values that make a server which looks its key up by kid use a key the attacker knows:
# an empty file, a file anyone can read, or a row an injected query returns.
KIDS = {
    "path to an empty file": ("../../../../../../dev/null", b""),
    "path to a public file": ("/proc/sys/kernel/randomize_va_space", b"2\n"),
    "SQL that returns a known key": ("x' UNION SELECT 'attacker-key' -- ", b"attacker-key"),
    "command injection": ("key.pem|echo attacker-key", b"attacker-key"),
}


@pytest.mark.parametrize("kid, key", KIDS.values(), ids=KIDS.keys())
async def test_an_injected_kid_steers_nothing(api: GraphQLClient, kid: str, key: bytes) -> None:
    person = await make_person()
    token = _mac({"alg": "HS256", "typ": "JWT", "kid": kid}, claims_for(person.user.id), key)
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


async def test_a_kid_on_a_token_signed_by_our_key_is_ignored(api: GraphQLClient) -> None:
    """The baseline of the test above: the kid itself does not make a good token bad, so the
    refusals there come from the key the kid pointed at, not from the header's shape."""
    import jwt

    from runtime.settings import get_settings

    person = await make_person()
    token = jwt.encode(
        claims_for(person.user.id), get_settings().secret_key, algorithm="HS256", headers={"kid": "../x"}
    )
    assert await me(api, token) is not None


@pytest.mark.parametrize("alg", ["HS256", "RS256"])
async def test_hmac_signed_with_the_public_key_is_refused(api: GraphQLClient, alg: str) -> None:
    # The HS/RS swap: a verifier that takes "the key" for RS256 and the alg from the header
    # would check this HMAC with the public key it holds, which the attacker holds too.
    person = await make_person()
    token = _mac({"alg": alg, "typ": "JWT"}, claims_for(person.user.id), PUBLIC_PEM.encode())
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


def _rs256(header: dict[str, Any], claims: dict[str, Any], key_file: Path) -> str:
    head_and_body = f"{b64(header)}.{b64(claims)}"
    signature = subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", str(key_file)],
        input=head_and_body.encode(),
        capture_output=True,
        check=True,
    ).stdout
    return f"{head_and_body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


@pytest.fixture(scope="module")
def attacker_key(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """An RSA key pair of the attacker's, and its public half as a JWK."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to sign RS256 tokens")
    key_file = tmp_path_factory.mktemp("attacker") / "key.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key_file), "2048"], capture_output=True, check=True)
    text = subprocess.run(
        ["openssl", "rsa", "-in", str(key_file), "-noout", "-modulus"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    modulus = bytes.fromhex(text.strip().split("=", 1)[1])
    n = base64.urlsafe_b64encode(modulus).rstrip(b"=").decode()
    return key_file, {"kty": "RSA", "e": "AQAB", "n": n}


@pytest.mark.parametrize("where", ["jwk", "jku", "x5u"])
async def test_a_key_the_token_brings_along_is_not_used(
    api: GraphQLClient, attacker_key: tuple[Path, dict[str, str]], where: str
) -> None:
    key_file, jwk = attacker_key
    person = await make_person()
    header: dict[str, Any] = {"alg": "RS256", "typ": "JWT"}
    header[where] = jwk if where == "jwk" else "https://attacker.example/keys.json"
    token = _rs256(header, claims_for(person.user.id), key_file)
    assert await auth_error_codes(api, token) == ["UNAUTHENTICATED"]


async def test_our_own_token_re_signed_by_the_attacker_is_refused(
    api: GraphQLClient, attacker_key: tuple[Path, dict[str, str]]
) -> None:
    key_file, _ = attacker_key
    person = await make_person()
    assert await me(api, signed(claims_for(person.user.id))) is not None
    forged = _rs256({"alg": "RS256", "typ": "JWT"}, claims_for(person.user.id), key_file)
    assert await auth_error_codes(api, forged) == ["UNAUTHENTICATED"]
