"""The intake page: ministries answer a reminder through a signed link, without an account."""
