"""Pricing pages: the price lists, one list's prices, the discount rules, and the price
check of an account."""
