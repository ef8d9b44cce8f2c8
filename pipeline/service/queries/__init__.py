"""Queries: reading the register for lists, the dashboard, exports and the monthly report."""
