"""The simulation: the engine run day by day over simulated time through the use cases."""
