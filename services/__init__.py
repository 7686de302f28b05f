"""Use cases: one function per thing a person or a schedule does, and the runtime they share."""
