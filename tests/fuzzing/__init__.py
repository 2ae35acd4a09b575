"""The no-5xx property test's machinery (tests/test_no_server_errors.py): what each
route takes, and requests built from it."""
