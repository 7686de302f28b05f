"""The domain: program data, terms, the working-day calendar and obligations. Pure: no I/O
beyond reading program files, no clock."""
