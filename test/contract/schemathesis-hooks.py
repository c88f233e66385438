"""Schemathesis hooks of the contract test (test/contract/run-schemathesis.ts loads this file).

The API documents phone fields as `format: phone` (src/phone.ts). The runner passes libphonenumber's own pattern of
the US numbers that are always valid, so the numbers generated here are ones the API must accept.
"""

import os
import re

import schemathesis
from hypothesis import strategies as st

# ASCII: the pattern is ECMAScript, whose \d is 0-9, where Python's would also take other scripts' digits.
PHONE = re.compile(os.environ["SMS_CONSENT_PHONE_PATTERN"], re.ASCII)

schemathesis.openapi.format("phone", st.from_regex(PHONE, fullmatch=True))
