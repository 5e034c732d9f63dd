"""Judge any implementation of the five cancel APIs against their contracts."""
