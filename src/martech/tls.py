"""A self-signed certificate for the HTTPS demo, made fresh on this computer.

No certificate authority signed it, so browsers and clients warn about it: that warning is
exactly what the demo is there to show.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import ssl
import tempfile
from pathlib import Path

# Browsers refuse a wildcard such as *.example, so every demo host name is listed.
NAMES = ["localhost", "shop.example", "news.example", "www.news.example", "recipes.example", "adtech.example"]
ADDRESSES = ["127.0.0.1"]


@functools.cache
def certificate_files() -> tuple[Path, Path]:
    """Write a new key and self-signed certificate to a temporary folder; return both paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "shop.example"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Course demo (self-signed)"),
    ])
    now = datetime.datetime.now(datetime.timezone.utc)
    alt_names = [x509.DNSName(n) for n in NAMES] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)  # issuer == subject: that is what "self-signed" means
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="martech-tls-"))
    cert_path, key_path = folder / "demo-certificate.pem", folder / "demo-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context() -> ssl.SSLContext:
    cert_path, key_path = certificate_files()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def demo_certificate() -> Path:
    """The demo certificate file: give it to a client to trust this one server on purpose."""
    return certificate_files()[0]
