"""Pages of the account workspace: competitors, the timeline and the meeting brief."""
