"""The title screen: the game's name and the main menu (Play, Sandbox, Settings, Help, Quit)."""
