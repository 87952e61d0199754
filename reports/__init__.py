"""Workbooks of the order's forms, built by pure functions: data in (plain dataclasses), XLSX bytes out.

No Flask, no database: the console's view, the RQ job and the CLI fill the dataclasses and call the same function,
and the tests read the bytes back with openpyxl. The forms' wording is the order's (425-р, annexes 2 and 3), in
Russian whatever the interface language, as the department receives them.
"""
