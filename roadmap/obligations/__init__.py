"""Obligations: what a program owes and when, their states, status and the reminder ladder."""
