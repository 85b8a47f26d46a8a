"""The admin console's operations: ``clinics`` (verify clinics and licences, decide
claims, suspend and restore clinics, search them) and ``users`` (suspend, restore and
search accounts), with ``reasons`` (the reason every suspension or refusal must give).
README.md beside this file describes the console."""
