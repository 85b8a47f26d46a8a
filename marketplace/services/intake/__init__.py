"""The health intake: what a client tells a clinic before a visit.

- ``screening`` and ``rules``: contraindication screening, one rule per condition or medicine
- ``records``: intake answers stored encrypted (AES-GCM) and read back
- ``keys``: the key ring and key rotation"""
