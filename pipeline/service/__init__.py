"""The service: the only place that knows the order of the stages and owns transactions."""
