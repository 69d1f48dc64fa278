"""The intake wizard 进件: vehicle -> customer -> photos -> product -> review -> result."""
