"""The sandbox screen: any sentence, architecture and positional scheme, played as a level."""
