"""Dates: periods, working days, the program's window of dates, quiet hours."""
