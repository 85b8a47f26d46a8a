"""The health intake: what a client tells a clinic before a visit.

- ``answers``: the client's answers as one value
- ``screening`` and ``rules``: contraindication screening, one rule per condition or medicine
- ``records``: intake answers stored encrypted (AES-GCM) and read back
- ``keys``: the key ring and key rotation

README.md beside this file has the rules table, the encryption and rotation."""
