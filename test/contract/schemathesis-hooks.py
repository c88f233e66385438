"""Schemathesis hooks of the contract test (test/contract/run-schemathesis.ts loads this file).

The API documents phone fields as `format: phone` (src/phone.ts). The runner passes libphonenumber's own pattern of
the US numbers that are always valid, so the numbers generated here are ones the API must accept.
"""

import os

import schemathesis
from hypothesis import strategies as st

schemathesis.openapi.format("phone", st.from_regex(os.environ["SMS_CONSENT_PHONE_PATTERN"], fullmatch=True))
