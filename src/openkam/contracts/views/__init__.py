"""Contract pages: the list, an account's contracts, one contract, its forms and files."""
