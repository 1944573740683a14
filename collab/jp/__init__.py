"""The JP ledger: JP earned per ASN (NIP) per calendar year against the yearly target."""
