"""Gate-level power: the sky130 flow, activity capture, and a liberty-based power engine."""
