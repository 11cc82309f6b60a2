"""Helpers every app may use and that know no app: dates as the newspaper prints
them, rate limits. The bottom layer (docs/ARCHITECTURE.md)."""
