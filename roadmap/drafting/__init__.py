"""Drafting a new program from a region's road map: reading the document, executors, the folder."""
