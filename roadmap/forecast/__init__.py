"""Forecast: the projection of an indicator and the early warning's verdict."""
