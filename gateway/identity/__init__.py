"""Who is calling, decided once per HTTP request, and what the gateway sends Wix for them.

- `callers.py`: the three kinds of caller (admin key, Wix identity, anonymous) and the
  `Authorization` each one gets upstream.
- `visitor_sessions.py`: Wix Headless visitor tokens for anonymous callers (`WIX_CLIENT_ID`).
- `visitor_fields.py`: which root fields an anonymous caller may use when the gateway has no
  visitor tokens and answers them with the API key, declared beside each field, and the schema
  extension that refuses the rest before any upstream call.

The README's "Security model" section is the user-facing description.
"""
