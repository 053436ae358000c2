"""A software passkey authenticator (WebAuthn, "none" attestation, ES256) for the gallery and the tests:
it answers the portal's options the way a browser's navigator.credentials would, without a browser.
Developer tooling only; the portal never imports it."""
import base64
import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40  # authenticator data flags: user present, user verified, attested data


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One authenticator holding discoverable credentials for one origin."""

    def __init__(self, origin):
        self.origin = origin
        self.credentials = {}  # credential id → (private key, user handle, sign count)

    def client_data(self, kind, challenge):
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin,
                           "crossOrigin": False}).encode()

    def create(self, options):
        """A new credential for the portal's registration options (parsed JSON); the browser's JSON answer."""
        key = ec.generate_private_key(ec.SECP256R1())
        credential_id = secrets.token_bytes(16)
        self.credentials[credential_id] = [key, unb64url(options["user"]["id"]), 0]
        numbers = key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        auth_data = (rp_hash + bytes([UP | UV | AT]) + struct.pack(">I", 0) + bytes(16)
                     + struct.pack(">H", len(credential_id)) + credential_id + cose)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": b64url(credential_id), "rawId": b64url(credential_id), "type": "public-key",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(self.client_data("webauthn.create", options["challenge"])),
                             "attestationObject": b64url(attestation), "transports": ["internal"]}}

    def get(self, options, rp_id):
        """Sign the portal's authentication options with the first credential; the browser's JSON answer."""
        credential_id, entry = next(iter(self.credentials.items()))
        key, user_handle, count = entry
        entry[2] = count + 1
        client_data = self.client_data("webauthn.get", options["challenge"])
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([UP | UV]) + struct.pack(">I", count + 1)
        signature = key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": b64url(credential_id), "rawId": b64url(credential_id), "type": "public-key",
                "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
                             "signature": b64url(signature), "userHandle": b64url(user_handle)}}
