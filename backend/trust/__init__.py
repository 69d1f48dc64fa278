"""Trust material for the platform seal: the demo lessor CA, the seal certificate, the TSA."""
