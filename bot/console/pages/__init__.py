"""The console's pages, each a module of thin endpoints calling the features' services."""
