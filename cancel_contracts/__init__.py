"""cancel-contracts: the command line and the pytest plugin that wire the mock and the suite."""
