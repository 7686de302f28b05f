"""Use cases: one function per thing a face or a flow asks for, storage and domain joined."""
