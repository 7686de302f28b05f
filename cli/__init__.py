"""The `roadmap` command line."""
