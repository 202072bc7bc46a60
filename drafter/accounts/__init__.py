"""Accounts: units, writers and administrators, their hashed passwords and their signed-in sessions.

In: names, units, roles and passwords from ``drafter admin …``; a name and password at sign-in; a session
token from a cookie. Out: the signed-in ``Account`` (its unit gives the viewer's ``drafter.scopes.Scope``),
or a Chinese message saying what to fix. Stored in the corpus database behind ``store.AccountStore``
(tables ``units``, ``accounts``, ``sessions``); passwords hashed with Argon2id (``passwords``).
"""
