"""The level select screen: the campaign by chapter, stars earned, locked levels, load problems."""
