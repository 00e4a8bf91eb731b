"""The results screen: the stars a checked board earned, why, and the reference solution."""
