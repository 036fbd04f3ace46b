"""Pieces every pyuvm environment in tb/ shares."""
